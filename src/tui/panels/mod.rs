//! Two panels over the backlog: the epics panel (`E`) and the product's
//! vision and goals (`V`). Each owns its state and how its keys change
//! it; drawing is in `view::epics` and `view::vision`.

mod epics;
mod vision;

pub use epics::{EpicField, EpicStep, EpicsPanel, delete_choices};
pub use vision::{Typing, VisionField, VisionPanel, VisionRow};

use super::action::{Effect, PanelAction};
use super::app::{App, Mode};

impl App {
    /// A key of either panel, or one that opens it.
    pub(super) fn panel_action(&mut self, action: PanelAction) -> Option<Effect> {
        match (&self.mode, action) {
            (_, PanelAction::OpenEpics) => {
                self.mode = Mode::Epics(Box::default());
                None
            }
            (_, PanelAction::OpenVision) => {
                self.mode = Mode::Vision(Box::default());
                None
            }
            (Mode::Epics(_), action) => self.epics_action(action),
            (Mode::Vision(_), action) => self.vision_action(action),
            _ => None,
        }
    }
}
