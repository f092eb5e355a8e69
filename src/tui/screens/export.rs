//! Exporting from the TUI, as `backlog export --out` does: the format
//! chosen from a list (Markdown, HTML, CSV, JSON, each with who it is
//! for), then the file typed on the bottom line, as any prompt is typed,
//! offered under a name for the format. The event loop writes the file
//! ([`Effect::Export`]) and the status bar says where it went.
//!
//! What the TUI exports is what the command does by default: the open
//! work in Markdown and HTML, every story in CSV and JSON.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{Screen, choice_row, clicked_row, picker_keys};
use crate::interchange::export::Format;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{Areas, centered, ellipsized};
use crate::tui::theme;
use crate::tui::typing::TextField;
use crate::tui::view::render_prompt;

/// The choices, in order.
const CHOICES: usize = Format::ALL.len();

/// The list of formats, one highlighted: an index into [`Format::ALL`].
#[derive(Clone, Debug, Default)]
pub struct ExportPicker {
    pub row: usize,
}

impl ExportPicker {
    /// The format highlighted.
    #[must_use]
    pub fn choice(&self) -> Format {
        Format::ALL[self.row.min(CHOICES - 1)]
    }
}

impl Screen for ExportPicker {
    fn context(&self) -> Context {
        Context::Export
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        match command {
            Command::SelectNext => self.row = (self.row + 1).min(CHOICES - 1),
            Command::SelectPrevious => self.row = self.row.saturating_sub(1),
            Command::SelectFirst => self.row = 0,
            Command::SelectLast => self.row = CHOICES - 1,
            Command::Confirm => {
                ctx.close();
                ctx.open(ExportPrompt::new(self.choice()));
            }
            Command::Cancel => ctx.close(),
            _ => {}
        }
        None
    }

    /// A click on a format highlights it; the key that picks still picks.
    fn mouse(&mut self, mouse: MouseEvent, ctx: &mut Ctx) {
        if let Some(row) = ctx
            .areas()
            .and_then(|areas| clicked_row(mouse, popup(areas.screen), CHOICES))
        {
            self.row = row;
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        let popup = popup(areas.screen);
        let name_width = Format::ALL
            .iter()
            .map(|f| f.name().len())
            .max()
            .unwrap_or(0);
        // Inside the border, less the pointer, the name and the gap.
        let room = popup
            .width
            .saturating_sub(2 + 2 + u16::try_from(name_width + 2).unwrap_or(u16::MAX));
        let mut lines: Vec<Line> = Format::ALL
            .iter()
            .enumerate()
            .map(|(row, format)| {
                choice_row(
                    row == self.row,
                    [
                        Span::raw(format!("{:<name_width$}  ", format.name())),
                        Span::styled(ellipsized(format.purpose(), room), theme::dim(app.color)),
                    ],
                )
            })
            .collect();
        lines.push(Line::from(""));
        lines.push(picker_keys(app, Context::Export, "asks for the file"));
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(lines).block(Block::bordered().title(" Export the backlog as ")),
            popup,
        );
    }
}

/// Where the picker goes over `area`: a row per format, then a blank
/// line and its keys, in a border.
fn popup(area: Rect) -> Rect {
    let height = u16::try_from(CHOICES + 2 + 2).unwrap_or(u16::MAX);
    centered(area, 64, height)
}

/// The file an export goes to, being typed.
#[derive(Clone, Debug)]
pub struct ExportPrompt {
    pub format: Format,
    pub input: TextField,
    /// What the line says before the field.
    label: String,
}

impl ExportPrompt {
    /// The prompt for `format`, offering its usual file name in the
    /// folder the TUI was started in.
    #[must_use]
    pub fn new(format: Format) -> Self {
        ExportPrompt {
            format,
            input: TextField::new(format.file_name(), false),
            label: format!("Export {} to: ", format.name()),
        }
    }
}

impl Screen for ExportPrompt {
    fn context(&self) -> Context {
        Context::Prompt
    }

    fn takes_text(&self) -> bool {
        true
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        let typed = self.input.text().trim().to_string();
        match command {
            // With no file named, stopping typing only closes, as every
            // prompt does.
            Command::StopTyping if typed.is_empty() => ctx.close(),
            Command::KeepField if typed.is_empty() => {
                let cancel = ctx.key(Context::Prompt, Command::CancelField);
                ctx.warn(format!("Type the file to export to, or {cancel} to cancel"));
            }
            Command::KeepField | Command::StopTyping => {
                ctx.close();
                return Some(Effect::Export {
                    format: self.format,
                    to: PathBuf::from(typed),
                });
            }
            Command::CancelField => ctx.close(),
            _ => {}
        }
        None
    }

    fn input(&mut self, key: KeyEvent, _ctx: &mut Ctx) {
        self.input.type_key(key);
    }

    fn paste(&mut self, text: &str, _ctx: &mut Ctx) {
        self.input.paste(text);
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        let hints = self.hints(&app.keymap);
        render_prompt(
            &self.label,
            &self.input,
            &hints,
            app.color,
            frame,
            areas.keys,
        );
    }
}
