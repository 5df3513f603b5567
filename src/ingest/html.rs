//! HTML: the article body of a web page, not its navigation.
//!
//! A tokenizer with source spans (html5gum) walks the page; text inside `<article>` (or
//! `<main>`, or else `<body>`) is kept, minus elements that are page furniture (script,
//! nav, header, footer, aside, forms, figures and captions) or whose class or id says so
//! ("share", "related", "newsletter"...). Each block element becomes a paragraph.

use html5gum::{DefaultEmitter, Token, Tokenizer};

use super::{Comment, Document, Format, Meta};
use crate::text::SourceMap;

/// Elements whose content is never article text.
const SKIP_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "figure",
    "figcaption",
    "iframe",
    "select",
    "textarea",
    "menu",
    "dialog",
    "head",
];

/// Class or id fragments that mark page furniture.
const SKIP_MARKS: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "share",
    "social",
    "related",
    "newsletter",
    "advert",
    "promo",
    "cookie",
    "subscribe",
    "comment",
    "sidebar",
    "breadcrumb",
    "caption",
    "byline",
    "donate",
];

const BLOCK_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "div",
    "section",
    "article",
    "main",
    "td",
    "th",
    "pre",
    "dd",
    "dt",
    "br",
    "tr",
    "ul",
    "ol",
    "table",
    "hr",
];

const VOID_TAGS: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

struct Open {
    name: String,
    skip: bool,
}

pub fn read(id: String, path: String, source: String) -> Document {
    let mut meta = Meta::default();
    // Two passes over the tokens: the first finds which container holds the article.
    let root = pick_root(&source);
    let mut text = String::with_capacity(source.len() / 2);
    let mut map = SourceMap::identity();
    let mut stack: Vec<Open> = Vec::new();
    let mut in_root = root.is_none();
    let mut root_depth = 0usize;
    let mut in_title = false;
    let mut title = String::new();
    let mut comments = Vec::new();

    for token in tokens(&source) {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if name == "meta" {
                    read_meta(&tag.attributes, &mut meta);
                }
                if name == "title" {
                    in_title = true;
                }
                if name == "time"
                    && meta.date.is_none()
                    && let Some(v) = tag.attributes.get(b"datetime".as_slice())
                {
                    meta.date = Some(String::from_utf8_lossy(v).chars().take(10).collect());
                }
                if BLOCK_TAGS.contains(&name.as_str()) {
                    end_block(&mut text);
                }
                if VOID_TAGS.contains(&name.as_str()) || tag.self_closing {
                    continue;
                }
                if !in_root && Some(name.as_str()) == root {
                    in_root = true;
                    root_depth = stack.len();
                }
                let marked = ["class", "id", "role"].iter().any(|a| {
                    tag.attributes.get(a.as_bytes()).is_some_and(|v| {
                        let v = String::from_utf8_lossy(v).to_ascii_lowercase();
                        SKIP_MARKS.iter().any(|m| v.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w == *m))
                    })
                });
                let parent_skip = stack.last().is_some_and(|o| o.skip);
                stack.push(Open { skip: parent_skip || marked || SKIP_TAGS.contains(&name.as_str()), name });
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if name == "title" {
                    in_title = false;
                }
                if BLOCK_TAGS.contains(&name.as_str()) {
                    end_block(&mut text);
                }
                // Close up to the matching element; stray end tags are ignored.
                if let Some(pos) = stack.iter().rposition(|o| o.name == name) {
                    stack.truncate(pos);
                    if in_root && root.is_some() && stack.len() <= root_depth && Some(name.as_str()) == root {
                        in_root = false;
                    }
                }
            }
            // Kept wherever they stand (suppression comments are about the text after them).
            Token::Comment(c) => {
                let end = c.span.end.min(source.len());
                let source_at = source[..end].rfind("<!--").unwrap_or(c.span.start);
                let body = String::from_utf8_lossy(&c.value).trim().to_string();
                comments.push(Comment { at: text.len(), source_at, body });
            }
            Token::String(s) => {
                let content = String::from_utf8_lossy(&s.value);
                if in_title {
                    title.push_str(&content);
                    continue;
                }
                if !in_root || stack.iter().any(|o| o.skip) {
                    continue;
                }
                let written = source.get(s.span.start..s.span.end).unwrap_or("");
                push_collapsed(&content, written, s.span.start, &mut text, &mut map);
            }
            _ => {}
        }
    }
    end_block(&mut text);
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if meta.title.is_none() && !title.is_empty() {
        meta.title = Some(title);
    }
    let mut doc = Document::plain(id, path, Format::Html, text);
    doc.source = Some(source);
    doc.map = map;
    doc.meta = meta;
    doc.comments = comments;
    doc
}

fn tokens(source: &str) -> impl Iterator<Item = Token<usize>> + '_ {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    // Script and style bodies are raw text, not markup.
    emitter.naively_switch_states(true);
    Tokenizer::new_with_emitter(source, emitter).flatten()
}

/// `article` if the page has one with text, else `main`, else the whole body.
fn pick_root(source: &str) -> Option<&'static str> {
    let mut has_main = false;
    for token in tokens(source) {
        if let Token::StartTag(tag) = token {
            match tag.name.as_slice() {
                b"article" => return Some("article"),
                b"main" => has_main = true,
                _ => {}
            }
        }
    }
    has_main.then_some("main")
}

fn read_meta(
    attrs: &std::collections::BTreeMap<html5gum::HtmlString, html5gum::Spanned<html5gum::HtmlString, usize>>,
    meta: &mut Meta,
) {
    let get = |k: &str| attrs.get(k.as_bytes()).map(|v| String::from_utf8_lossy(v).into_owned());
    let key = get("property").or_else(|| get("name")).unwrap_or_default().to_ascii_lowercase();
    let Some(content) = get("content") else { return };
    match key.as_str() {
        "article:published_time" | "date" | "pubdate" | "dc.date" if meta.date.is_none() => {
            meta.date = Some(content.chars().take(10).collect());
        }
        "og:title" => meta.title = Some(content),
        "og:site_name" if meta.source.is_none() => meta.source = Some(content),
        _ => {}
    }
}

/// Appends `content` (decoded text) with runs of white space made one space. `source`
/// is the same text as written in the page, starting at byte `src_start`: it is walked
/// alongside, stepping over character references (`&ldquo;` is one character), so each
/// recorded run starts at the exact byte of the page.
fn push_collapsed(content: &str, source: &str, src_start: usize, text: &mut String, map: &mut SourceMap) {
    let mut pending_space =
        !text.is_empty() && !text.ends_with(['\n', ' ']) && content.starts_with(char::is_whitespace);
    let mut in_run = false;
    let mut src = 0usize;
    for ch in content.chars() {
        let at = src;
        src += source_len(source.get(src..).unwrap_or(""), ch);
        if ch.is_whitespace() {
            pending_space = true;
            in_run = false;
            continue;
        }
        if pending_space && !text.is_empty() && !text.ends_with(['\n', ' ']) {
            text.push(' ');
        }
        pending_space = false;
        // A new run at each stretch of text and after each character reference.
        let reference = source.get(at..).is_some_and(|r| r.starts_with('&'));
        if !in_run || reference {
            map.push(text.len(), src_start + at);
            in_run = !reference;
        }
        text.push(ch);
    }
    if pending_space && !text.is_empty() && !text.ends_with(['\n', ' ']) {
        text.push(' ');
    }
}

/// Bytes of `source` that wrote the character `ch`: a character reference or the
/// character itself.
fn source_len(source: &str, ch: char) -> usize {
    let reference = source.starts_with('&') && ch != '&' || source.starts_with("&amp;") || source.starts_with("&#");
    if reference && let Some(end) = source[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')) {
        let end = end + 1;
        return if source[end..].starts_with(';') { end + 1 } else { end };
    }
    // Step by the page's own character, so the walk stays on character boundaries even
    // where the decoder replaced one (a stray NUL, a bad byte).
    source.chars().next().map_or(1, char::len_utf8)
}

fn end_block(text: &mut String) {
    let trimmed = text.trim_end_matches([' ', '\n']).len();
    text.truncate(trimmed);
    if !text.is_empty() {
        text.push_str("\n\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html><head><title>Talks in Paris</title>
<meta property="article:published_time" content="2024-11-11T09:00:00Z">
<script>var x = "<p>not text</p>";</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Leaders meet</h1>
<p>Sir Keir met   Mr Macron
 in <b>Paris</b> &amp; talked.</p>
<figure><img src="a.jpg"><figcaption>A photo (Isabel Infantes/PA)</figcaption></figure>
<div class="share-tools">Share this</div>
<p>He said “in one day”.</p></article>
<footer>Copyright</footer></body></html>"#;

    #[test]
    fn keeps_the_article_body_only() {
        let doc = read("p".into(), "p.html".into(), PAGE.to_string());
        assert_eq!(
            doc.text.trim_end(),
            "Leaders meet\n\nSir Keir met Mr Macron in Paris & talked.\n\nHe said “in one day”."
        );
        assert_eq!(doc.meta.title.as_deref(), Some("Talks in Paris"));
        assert_eq!(doc.meta.date.as_deref(), Some("2024-11-11"));
    }

    #[test]
    fn offsets_map_to_the_page() {
        let doc = read("p".into(), "p.html".into(), PAGE.to_string());
        for word in ["Macron", "Paris", "one day", "talked"] {
            let at = doc.text.find(word).unwrap();
            let src = doc.map.to_source(at);
            assert_eq!(&doc.source()[src..src + word.len()], word);
        }
    }

    #[test]
    fn comments_are_recorded_where_they_stand() {
        let page = "<html><body><!-- top --><article><p>One.</p>\n<!-- factdiff-ignore -->\n<p>Two.</p></article></body></html>";
        let doc = read("p".into(), "p.html".into(), page.to_string());
        let bodies: Vec<&str> = doc.comments.iter().map(|c| c.body.as_str()).collect();
        assert_eq!(bodies, ["top", "factdiff-ignore"]);
        let c = &doc.comments[1];
        assert!(page[c.source_at..].starts_with("<!-- factdiff-ignore -->"));
        assert_eq!(doc.text[c.at..].trim_start(), "Two.\n\n");
    }

    #[test]
    fn page_without_article_uses_body() {
        let doc = read("p".into(), "p.html".into(), "<html><body><p>One.</p><p>Two.</p></body></html>".into());
        assert_eq!(doc.text.trim_end(), "One.\n\nTwo.");
    }
}
