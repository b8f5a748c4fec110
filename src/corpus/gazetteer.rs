//! TEMPORARY stand-in.
pub const REGIONS: [&str; 12] = [
    "North East",
    "North West",
    "Greater Manchester",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "Kent, Surrey and Sussex",
    "South Central",
    "South West",
    "Wales",
];
pub struct Gazetteer;
static G: Gazetteer = Gazetteer;
impl Gazetteer {
    pub fn embedded() -> &'static Gazetteer {
        &G
    }
    pub fn canonical_region(&self, name: &str) -> Option<&'static str> {
        REGIONS
            .iter()
            .copied()
            .find(|r| r.eq_ignore_ascii_case(name.trim()))
    }
    pub fn infer_region(&self, text: &str) -> Option<&'static str> {
        REGIONS.iter().copied().find(|r| text.contains(r))
    }
}
