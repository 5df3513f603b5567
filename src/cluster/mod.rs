//! Cluster: group an archive's articles into events.
//!
//! Three stateless stages, each with a serialisable output, so that a cluster of
//! machines can run them between its shuffles: [`sketch`] each article alone, [`link`]
//! the candidate pairs that share a rare term, [`group`] the scored pairs into events.

pub mod group;
pub mod link;
pub mod sketch;

use serde::{Deserialize, Serialize};

pub use link::{Edge, LinkOptions};
pub use sketch::{Sketch, When};

/// How an archive is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct GroupOptions {
    pub link: LinkOptions,
    /// The average pair score at which two groups are one event.
    pub threshold: f32,
}

impl Default for GroupOptions {
    fn default() -> Self {
        GroupOptions { link: LinkOptions::default(), threshold: 0.07 }
    }
}

/// The event of each sketch by content and time, numbered by first article.
pub fn events(sketches: &[Sketch], opts: &GroupOptions) -> Vec<u32> {
    let edges = link::link(sketches, &opts.link);
    group::group(sketches.len(), &edges, opts.threshold)
}
