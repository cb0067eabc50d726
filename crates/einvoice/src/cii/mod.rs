//! UN/CEFACT Cross Industry Invoice D16B: reading into and writing from the model.

mod read;
mod write;

pub use read::read;
pub use write::write;
