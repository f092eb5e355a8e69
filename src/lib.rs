//! `backlog`: a terminal backlog manager for product owners.
//!
//! The binary is a thin shell over this library, so tests and benchmarks
//! drive the same code a user does.
#![forbid(unsafe_code)]

pub mod cli;
pub mod config;
pub mod forecast;
pub mod interchange;
pub mod meeting;
pub mod model;
pub mod priority;
pub mod rank;
pub mod store;
pub mod text;
pub mod tui;
pub mod words;
