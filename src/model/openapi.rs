//! What a suite's `openapi:` block became: the spec's operations (each sent as access
//! cells, excluded, or not buildable), and the coverage the run must reach.

use super::{Location, RoleId};

/// A suite's OpenAPI document, lowered.
#[derive(Clone, Debug)]
pub struct OpenApi {
    /// The spec as the suite names it (`openapi.yaml`, `${env:SPEC_URL}`): for reports.
    pub spec: String,
    /// Where the suite wrote `openapi:`.
    pub location: Location,
    /// Every operation of the spec, in the spec's order.
    pub operations: Vec<Operation>,
    /// `coverage.min`, in percent (0 to 100): a shortfall is a failed check.
    pub coverage_min: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct Operation {
    /// `GET`.
    pub method: String,
    /// The path template as the spec writes it: `/orders/{orderId}`.
    pub path: String,
    /// Listed under `exclude:`: never sent.
    pub excluded: bool,
    /// Why its request could not be built (what is missing), if it could not.
    pub unbuilt: Option<String>,
}

impl Operation {
    /// `GET /orders/{orderId}`.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// What made an access entry out of a spec operation: its check names say why each
/// cell expects what it expects, in the spec's terms.
#[derive(Clone, Debug)]
pub struct SpecOrigin {
    /// Index into `OpenApi::operations`.
    pub operation: usize,
    /// `GET /orders/{orderId}`, for ids and names.
    pub line: String,
    /// Per role: `oauth2 orders:read`, `public`.
    pub because: Vec<(RoleId, String)>,
}

impl SpecOrigin {
    pub fn because(&self, role: RoleId) -> &str {
        self.because
            .iter()
            .find(|(r, _)| *r == role)
            .map_or("", |(_, why)| why.as_str())
    }
}
