//! README of a generated data set.
use super::GroundTruth;

/// Markdown README describing a data set and its ground truth.
pub fn readme_markdown(gt: &GroundTruth) -> String {
    format!("{}", gt.total_events)
}
