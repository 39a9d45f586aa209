//! Waivers (`--waivers FILE`): a known finding, accepted by an owner for a reason until a
//! date, is reported as skipped with that reason instead of failing the gate; past its date
//! it fails again and says so. A waiver that matched nothing is a warning: it is stale.

mod apply;
mod file;

pub use apply::{Applied, Waived};
pub use file::{Waiver, Waivers};
