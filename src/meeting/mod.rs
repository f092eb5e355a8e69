//! The refinement meeting's arithmetic, pure and given "now": planning
//! poker rounds ([`poker`]) and the clocks against each story's timebox
//! ([`timebox`]).

pub mod poker;
pub mod timebox;
