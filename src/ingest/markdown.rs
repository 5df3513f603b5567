//! Markdown: the prose of a Markdown file, without its syntax. Emphasis marks, link
//! targets, code and front matter are not article text; each block becomes a paragraph.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{Comment, Document, Format, Meta};
use crate::text::SourceMap;

pub fn read(id: String, path: String, source: String) -> Document {
    let mut text = String::with_capacity(source.len());
    let mut map = SourceMap::identity();
    let mut meta = Meta::default();
    let mut in_metadata = false;
    let mut skip_depth = 0usize;
    let mut comments = Vec::new();

    let opts = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(&source, opts).into_offset_iter() {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_metadata = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
            Event::Start(Tag::CodeBlock(_)) | Event::Start(Tag::Image { .. }) => skip_depth += 1,
            Event::End(TagEnd::CodeBlock) | Event::End(TagEnd::Image) => skip_depth = skip_depth.saturating_sub(1),
            Event::Text(t) if in_metadata => read_front_matter(&t, &mut meta),
            Event::Text(t) | Event::Code(t) if skip_depth == 0 => {
                // Text events are verbatim runs of the source except for escapes and
                // entities, which the map's clamping absorbs.
                let at = range.start + source[range.clone()].find(&*t).unwrap_or(0);
                map.push(text.len(), at);
                text.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak if skip_depth == 0 => text.push(' '),
            // Kept for suppression comments (`<!-- factdiff-ignore -->`), which say
            // something about the text after them.
            Event::Html(html) | Event::InlineHtml(html) => {
                let at = range.start + source[range.clone()].find(&*html).unwrap_or(0);
                for (offset, body) in html_comments(&html) {
                    comments.push(Comment { at: text.len(), source_at: at + offset, body });
                }
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::TableCell,
            ) => {
                end_block(&mut text);
            }
            _ => {}
        }
    }
    let mut doc = Document::plain(id, path, Format::Markdown, text);
    doc.source = Some(source);
    doc.map = map;
    doc.meta = meta;
    doc.comments = comments;
    doc
}

/// The comments in a run of HTML: (offset of `<!--`, trimmed body). An unclosed comment
/// runs to the end of the run, as in HTML.
fn html_comments(html: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = html[from..].find("<!--") {
        let start = from + open;
        let body_at = start + 4;
        let (body, next) = match html[body_at..].find("-->") {
            Some(close) => (&html[body_at..body_at + close], body_at + close + 3),
            None => (&html[body_at..], html.len()),
        };
        out.push((start, body.trim().to_string()));
        from = next;
    }
    out
}

fn end_block(text: &mut String) {
    let trimmed = text.trim_end_matches([' ', '\n']).len();
    text.truncate(trimmed);
    if !text.is_empty() {
        text.push_str("\n\n");
    }
}

/// `title:` and `date:` lines of YAML-style front matter; the rest is ignored.
fn read_front_matter(block: &str, meta: &mut Meta) {
    for line in block.lines() {
        let Some((key, value)) = line.split_once(':') else { continue };
        let value = value.trim().trim_matches(['"', '\'']).to_string();
        if value.is_empty() {
            continue;
        }
        match key.trim() {
            "title" => meta.title = Some(value),
            "date" => meta.date = Some(value),
            "source" | "publisher" => meta.source = Some(value),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_is_not_text_and_offsets_map_back() {
        let src = "---\ntitle: Talks\ndate: 2024-11-11\n---\n\n# Paris talks\n\nSir Keir met **Mr Macron** in [Paris](https://x.test).\n\n```\ncode\n```\n";
        let doc = read("d".into(), "d.md".into(), src.to_string());
        assert_eq!(doc.text.trim_end(), "Paris talks\n\nSir Keir met Mr Macron in Paris.");
        assert_eq!(doc.meta.date.as_deref(), Some("2024-11-11"));
        assert_eq!(doc.meta.title.as_deref(), Some("Talks"));
        let at = doc.text.find("Macron").unwrap();
        let src_at = doc.map.to_source(at);
        assert_eq!(&doc.source()[src_at..src_at + 6], "Macron");
    }

    #[test]
    fn comments_are_recorded_where_they_stand() {
        let src =
            "One para.\n\n<!-- factdiff-ignore quote-drift -->\nTwo para <!--inline-->here.\n\n<!-- a --> <!-- b\n";
        let doc = read("d".into(), "d.md".into(), src.to_string());
        let bodies: Vec<&str> = doc.comments.iter().map(|c| c.body.as_str()).collect();
        assert_eq!(bodies, ["factdiff-ignore quote-drift", "inline", "a", "b"]);
        let first = &doc.comments[0];
        assert_eq!(&doc.text[first.at..first.at + 8], "Two para");
        assert!(src[first.source_at..].starts_with("<!-- factdiff-ignore"));
        assert!(src[doc.comments[1].source_at..].starts_with("<!--inline"));
        assert!(!doc.text.contains("factdiff"), "comments are not article text");
    }
}
