//! The fixed texts WhatsApp writes in place of content: media placeholders, deleted
//! messages, the edited marker, the encryption notice. Wording per language as listed in
//! chat-exports.md §1.5–1.6; everything else a person wrote is a plain message.

use crate::message::Kind;

/// Placeholders that are the whole first line of a media message.
const MEDIA_WHOLE: &[&str] = &[
    "<Media omitted>",
    "<media omitted>",
    "<Medien ausgeschlossen>",
    "<Multimedia omitido>",
];

/// iOS "without media" placeholders (the whole line, once direction marks are removed).
const MEDIA_IOS_SUFFIX: &[&str] = &[
    "image omitted",
    "video omitted",
    "audio omitted",
    "sticker omitted",
    "GIF omitted",
    "document omitted",
    "Contact card omitted",
];

/// "With media" exports name the attached file on the first line.
const ATTACHED_SUFFIX: &[&str] = &["(file attached)", "(Datei angehängt)", "<attached>"];

const DELETED_WHOLE: &[&str] = &[
    "This message was deleted",
    "You deleted this message",
    "This message was deleted.",
    "You deleted this message.",
    "Diese Nachricht wurde gelöscht.",
    "Du hast diese Nachricht gelöscht.",
];

/// Appended to the last line of an edited message.
const EDITED_SUFFIX: &[&str] = &[
    "<This message was edited>",
    "<Diese Nachricht wurde bearbeitet.>",
];

/// Notices WhatsApp sometimes writes with the chat's name as the author (whatstk's
/// `pokemon.txt`): they are system lines, not a participant speaking.
const NOTICE_PREFIX: &[&str] = &[
    "Messages and calls are end-to-end encrypted.",
    "Messages to this group are now secured with end-to-end encryption.",
    "Messages you send to this group are now secured with end-to-end encryption.",
    "Messages you send to this chat and calls are now secured with end-to-end encryption.",
];

const LRM: char = '\u{200E}';

/// True if `text` (a message's first line) is one of the notices above.
pub fn is_notice(text: &str) -> bool {
    text.starts_with("Messages ") && NOTICE_PREFIX.iter().any(|p| text.starts_with(p))
}

/// The kind of a message from its first line, which has had any leading LRM removed.
pub fn classify(first_line: &str) -> Kind {
    // Placeholders are short; a long line is a person writing (the common case, decided
    // without any comparison).
    if first_line.len() > 256 {
        return Kind::Message;
    }
    // Every placeholder ends in one of these bytes (`>`, omitted/deleted/attached, `)`,
    // message, gelöscht.); most lines do not, and leave here.
    if !matches!(
        first_line.trim_end().as_bytes().last(),
        Some(b'>' | b'd' | b')' | b'e' | b'.')
    ) {
        return Kind::Message;
    }
    let owned;
    let had_lrm = first_line.contains(LRM);
    let text = if had_lrm {
        owned = first_line.replace(LRM, "");
        owned.as_str()
    } else {
        first_line
    };
    let text = text.trim_end();
    if text.starts_with("<attached: ") && text.ends_with('>') {
        return Kind::Media;
    }
    if MEDIA_WHOLE.contains(&text)
        || MEDIA_IOS_SUFFIX.contains(&text)
        // "report.pdf • 3 pages ‎document omitted": the mark sits before the placeholder.
        || (had_lrm && text.ends_with("document omitted"))
        || ATTACHED_SUFFIX.iter().any(|s| text.ends_with(s))
    {
        return Kind::Media;
    }
    if DELETED_WHOLE.contains(&text) {
        return Kind::Deleted;
    }
    Kind::Message
}

/// Removes a trailing edited marker from `text`; true if there was one.
pub fn strip_edited(text: &mut String) -> bool {
    if !text.ends_with('>') {
        return false;
    }
    for marker in EDITED_SUFFIX {
        if let Some(rest) = text.strip_suffix(marker) {
            let keep = rest.trim_end_matches([' ', LRM]).len();
            text.truncate(keep);
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_in_every_listed_wording() {
        for t in [
            "<Media omitted>",
            "<Medien ausgeschlossen>",
            "<Multimedia omitido>",
            "<media omitted>",
            "image omitted",
            "\u{200e}image omitted",
            "report.pdf • 3 pages \u{200e}document omitted",
            "<attached: 00000001-PHOTO-2019-06-20-16-00-15.jpg>",
            "IMG-20210428-WA0001.jpg (file attached)",
            "IMG-20210428-WA0001.jpg (Datei angehängt)",
            "2015-08-04-PHOTO-00004762.jpg <\u{200e}attached>",
        ] {
            assert_eq!(classify(t), Kind::Media, "{t}");
        }
    }

    #[test]
    fn deleted_and_plain() {
        assert_eq!(classify("This message was deleted"), Kind::Deleted);
        assert_eq!(classify("\u{200e}You deleted this message"), Kind::Deleted);
        assert_eq!(classify("Diese Nachricht wurde gelöscht."), Kind::Deleted);
        for t in [
            "I omitted nothing",
            "the image omitted from the slides was mine",
            "my video omitted",
            "",
            "<b>",
            "This message was deleted by the admin, rude",
        ] {
            assert_eq!(classify(t), Kind::Message, "{t}");
        }
    }

    #[test]
    fn edited_marker_is_removed() {
        let mut t = "see you at 7 <This message was edited>".to_owned();
        assert!(strip_edited(&mut t));
        assert_eq!(t, "see you at 7");
        let mut t = "kein Problem <Diese Nachricht wurde bearbeitet.>".to_owned();
        assert!(strip_edited(&mut t));
        assert_eq!(t, "kein Problem");
        let mut t = "a <b>".to_owned();
        assert!(!strip_edited(&mut t));
        assert_eq!(t, "a <b>");
    }

    #[test]
    fn notices() {
        assert!(is_notice(
            "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them."
        ));
        assert!(!is_notice("Messages are fun"));
    }
}
