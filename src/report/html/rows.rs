//! Rows of the side-by-side view: which sentences of the articles stand next to each other.
//!
//! The first article is the spine: one row per sentence, in its reading order (with
//! `--against`, the draft comes first). Another article's sentence joins the row of the
//! spine sentence the aligner paired it with — by the sentence aligner, else through a
//! quotation of the same remark. A sentence paired only with a sentence of a third article
//! joins that one's row; the rest get rows of their own, just after the row of their
//! article's previous sentence, so each article reads in order wherever the others allow.
//! Each sentence is in exactly one row, so each piece of evidence has one place on the page.

use crate::Analyzed;
use crate::align::{Alignment, SentRef};

/// One row: the sentences of each member document that stand in it, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<Vec<u32>>,
}

/// How two sentences were found to report the same thing; earlier variants are stronger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Via {
    Sentence,
    Quote,
}

#[derive(Debug, Clone, Copy)]
struct Link {
    via: Via,
    score: f32,
    to: SentRef,
}

/// The sentence holding quotation `q` of document `doc`.
pub fn quote_sentence(docs: &[Analyzed], doc: u32, q: u32) -> Option<SentRef> {
    let d = docs.get(doc as usize)?;
    let quote = d.seg.quotes.get(q as usize)?;
    d.seg.sentence_of(quote.tokens.start).map(|s| SentRef { doc, sent: s as u32 })
}

/// The rows of the documents `members` of an event (indices into `docs`, the spine
/// first), in display order. Cells are in the order of `members`; links in [`SentRef`]s
/// are by position in `members` too.
pub fn rows(docs: &[Analyzed], al: &Alignment, members: &[usize]) -> Vec<Row> {
    let n = members.len();
    let Some(spine) = members.first().and_then(|&m| docs.get(m)) else { return Vec::new() };
    // Position in `members` of each document of the event.
    let mut pos: Vec<Option<u32>> = vec![None; docs.len()];
    for (i, &m) in members.iter().enumerate() {
        if let Some(p) = pos.get_mut(m) {
            *p = Some(i as u32);
        }
    }
    let mut links: Vec<Vec<Vec<Link>>> =
        members.iter().map(|&m| vec![Vec::new(); docs.get(m).map_or(0, |d| d.seg.sentences.len())]).collect();
    let mut link = |x: SentRef, y: SentRef, via: Via, score: f32| {
        let (Some(Some(px)), Some(Some(py))) = (pos.get(x.doc as usize), pos.get(y.doc as usize)) else { return };
        if px == py {
            return;
        }
        let (x, y) = (SentRef { doc: *px, sent: x.sent }, SentRef { doc: *py, sent: y.sent });
        for (from, to) in [(x, y), (y, x)] {
            if let Some(slot) = links.get_mut(from.doc as usize).and_then(|d| d.get_mut(from.sent as usize)) {
                slot.push(Link { via, score, to });
            }
        }
    };
    for p in &al.pairs {
        link(p.a, p.b, Via::Sentence, p.score);
    }
    for q in &al.quote_pairs {
        if let (Some(a), Some(b)) = (quote_sentence(docs, q.a.doc, q.a.quote), quote_sentence(docs, q.b.doc, q.b.quote))
        {
            link(a, b, Via::Quote, 0.0);
        }
    }
    for per_doc in &mut links {
        for l in per_doc.iter_mut() {
            l.sort_by(|x, y| x.via.cmp(&y.via).then(y.score.total_cmp(&x.score)).then(x.to.cmp(&y.to)));
        }
    }

    let mut cells: Vec<Vec<Vec<u32>>> = Vec::new();
    let mut row_of: Vec<Vec<Option<usize>>> = links.iter().map(|l| vec![None; l.len()]).collect();
    // Rows placed after each row (by index), and before the first.
    let mut after: Vec<Vec<usize>> = Vec::new();
    let mut top: Vec<usize> = Vec::new();
    let new_row = |cells: &mut Vec<Vec<Vec<u32>>>, after: &mut Vec<Vec<usize>>| {
        cells.push(vec![Vec::new(); n]);
        after.push(Vec::new());
        cells.len() - 1
    };
    for (s, slot) in row_of[0].iter_mut().enumerate() {
        let r = new_row(&mut cells, &mut after);
        cells[r][0].push(s as u32);
        *slot = Some(r);
    }
    // Pass 1: sentences paired with the spine.
    for k in 1..n {
        for j in 0..row_of[k].len() {
            if let Some(l) = links[k][j].iter().find(|l| l.to.doc == 0)
                && let Some(r) = row_of[0][l.to.sent as usize]
            {
                cells[r][k].push(j as u32);
                row_of[k][j] = Some(r);
            }
        }
    }
    // Pass 2: sentences paired with a placed one, else on their own.
    for k in 1..n {
        for j in 0..row_of[k].len() {
            if row_of[k][j].is_some() {
                continue;
            }
            let joined = links[k][j].iter().find_map(|l| row_of[l.to.doc as usize][l.to.sent as usize]);
            let r = match joined {
                Some(r) => r,
                None => {
                    let r = new_row(&mut cells, &mut after);
                    match j.checked_sub(1).and_then(|p| row_of[k][p]) {
                        Some(prev) => after[prev].push(r),
                        None => top.push(r),
                    }
                    r
                }
            };
            cells[r][k].push(j as u32);
            row_of[k][j] = Some(r);
        }
    }

    // Display order: rows placed at the top, then each spine row followed by the rows
    // placed after it (and after those, depth first).
    let mut order = Vec::with_capacity(cells.len());
    let mut stack: Vec<usize> = Vec::new();
    let roots = top.iter().copied().chain(0..spine.seg.sentences.len());
    for root in roots {
        stack.push(root);
        while let Some(r) = stack.pop() {
            order.push(r);
            stack.extend(after[r].iter().rev());
        }
    }
    let mut taken: Vec<Option<Vec<Vec<u32>>>> = cells.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|r| taken[r].take())
        .map(|mut cells| {
            for c in &mut cells {
                c.sort_unstable();
            }
            Row { cells }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Document, Format};
    use crate::rules::data::RuleData;
    use crate::{CheckOptions, check};

    fn event(texts: &[&str]) -> crate::Checked {
        let docs = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Document::plain(format!("d{i}"), format!("d{i}.txt"), Format::Text, t.to_string()))
            .collect();
        check(docs, &RuleData::builtin(), &CheckOptions::default())
    }

    fn layout(texts: &[&str]) -> Vec<Vec<Vec<u32>>> {
        let c = event(texts);
        let all: Vec<usize> = (0..texts.len()).collect();
        rows(&c.docs, &c.alignment, &all).into_iter().map(|r| r.cells).collect()
    }

    #[test]
    fn paired_sentences_share_a_row_and_the_rest_keep_reading_order() {
        let a = "The council approved the new harbour budget on Monday. \
                 Fishermen protested outside the town hall all afternoon.";
        let b = "Rain fell across the northern valleys overnight. \
                 The council approved the new harbour budget on Monday evening. \
                 Snow is forecast for the mountain passes tomorrow.";
        assert_eq!(
            layout(&[a, b]),
            vec![
                vec![vec![], vec![0]],  // b's first sentence, before anything it follows
                vec![vec![0], vec![1]], // the pair
                vec![vec![], vec![2]],  // after b's previous sentence
                vec![vec![1], vec![]],  // a's unpaired sentence, in a's order
            ]
        );
    }

    #[test]
    fn every_sentence_is_in_exactly_one_row() {
        let texts = [
            "Ministers met in Paris on Monday. The talks on trade lasted four hours. Nobody spoke to reporters.",
            "The talks on trade lasted four hours in Paris. Ministers met in Paris on Monday morning.",
            "A spokesman said the talks on trade lasted four hours. Ministers met in Paris on Monday.",
        ];
        let c = event(&texts);
        let rows = rows(&c.docs, &c.alignment, &[0, 1, 2]);
        for (d, doc) in c.docs.iter().enumerate() {
            let mut seen: Vec<u32> = rows.iter().flat_map(|r| r.cells[d].iter().copied()).collect();
            seen.sort_unstable();
            assert_eq!(seen, (0..doc.seg.sentences.len() as u32).collect::<Vec<_>>(), "doc {d}");
        }
        // The third article's sentences join the spine's rows they report.
        let meeting = rows.iter().find(|r| r.cells[0] == [0]).unwrap();
        assert_eq!(meeting.cells[2], [1]);
    }

    #[test]
    fn members_choose_the_columns() {
        let texts = [
            "Ministers met in Paris on Monday. Nobody spoke to reporters.",
            "Rain fell in the valleys. Ministers met in Paris on Monday morning.",
            "Ministers met in Paris on Monday, officials said.",
        ];
        let c = event(&texts);
        let rows = rows(&c.docs, &c.alignment, &[0, 2]);
        assert!(rows.iter().all(|r| r.cells.len() == 2));
        assert!(rows.iter().any(|r| r.cells == [vec![0], vec![0]]), "{rows:?}");
        let second: usize = rows.iter().map(|r| r.cells[1].len()).sum();
        assert_eq!(second, c.docs[2].seg.sentences.len(), "only the third article's sentences in the second column");
    }

    #[test]
    fn no_documents_no_rows() {
        assert!(rows(&[], &Alignment::default(), &[]).is_empty());
    }
}
