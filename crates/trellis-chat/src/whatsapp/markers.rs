//! The fixed texts WhatsApp writes in place of content: media placeholders, deleted
//! messages, the edited marker, the notices it sometimes writes with the chat's name as
//! the author. Everything else a person wrote is a plain message.
//!
//! WhatsApp writes these in the phone's language, so they live in one table,
//! [`WORDINGS`], one row per wording with its language and where it was seen ([`Seen`]).
//! Beside the table, two rules need no language at all: an attachment named by
//! WhatsApp's own file-name pattern (`<attached: 00000042-PHOTO-….jpg>`,
//! `<Anhang: 00000042-PHOTO-….jpg>`, `IMG-20210428-WA0001.jpg (fichier joint)`), and the
//! iOS placeholder after a direction mark (`report.pdf • 3 pages ‎document omitted`).
//!
//! Speed: [`classify`] runs on every message, so every rule has a cheap necessary
//! condition built at compile time. A line that needs no trimming and does not end in
//! `.`, `>` or `)` ([`EDGE_FIRST`], [`EDGE_LAST`]) is compared with the table only if a
//! wording of exactly its length starts in its first byte and ends in its last
//! ([`CANDIDATE`]), and looked at for a document placeholder only if a direction mark
//! stands where one would ([`DOCUMENT_MARK_AT`]): ordinary text leaves after a few array
//! loads, without scanning. [`is_notice`] and [`strip_edited`] likewise test a length and
//! a byte inline before any comparison.

use crate::message::Kind;

/// What a wording stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// Android "without media": one placeholder for every kind of media.
    MediaOmitted,
    Photo,
    Video,
    Audio,
    Sticker,
    Gif,
    Document,
    Contact,
    /// "This message was deleted" (by someone else).
    Deleted,
    /// "You deleted this message".
    DeletedByYou,
    /// Appended to the last line of an edited message.
    Edited,
    /// The start of an encryption notice, sometimes written with the chat's name as the
    /// author (whatstk's `pokemon.txt`): a system line, not a participant speaking.
    Notice,
}

impl What {
    fn kind(self) -> Option<Kind> {
        match self {
            What::MediaOmitted
            | What::Photo
            | What::Video
            | What::Audio
            | What::Sticker
            | What::Gif
            | What::Document
            | What::Contact => Some(Kind::Media),
            What::Deleted | What::DeletedByYou => Some(Kind::Deleted),
            What::Edited | What::Notice => None,
        }
    }
}

/// Where a wording was seen; the grades of `shared/formats/chat-exports.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// In a genuine export: `shared/fixtures/real/` (SOURCES.md names the file).
    Export,
    /// In chat-exports.md §1.5–1.6: a peer parser's tests or regexes ([parser]).
    Notes,
    /// Only in other projects' WhatsApp keyword lists, found by code search, two or more
    /// agreeing where marked so in the comments ([inferred]). Wrong wording costs a
    /// placeholder counted as a message, never a message lost.
    KeywordLists,
}

/// One wording: language (ISO 639-1), what it stands for, the text as WhatsApp writes
/// it (without the U+200E it often carries before it and without a final `.`, which
/// both vary by app version), and where it was seen.
#[derive(Debug, Clone, Copy)]
pub struct Wording {
    pub lang: &'static str,
    pub what: What,
    pub text: &'static str,
    pub seen: Seen,
}

const fn w(lang: &'static str, what: What, text: &'static str, seen: Seen) -> Wording {
    Wording {
        lang,
        what,
        text,
        seen,
    }
}

use Seen::{Export, KeywordLists as Kw, Notes};
use What::*;

/// Every wording, by language. The Android "without media" placeholder has its angle
/// brackets; the iOS ones are one per kind of media.
pub const WORDINGS: &[Wording] = &[
    // English.
    w("en", MediaOmitted, "<Media omitted>", Notes),
    w("en", Photo, "image omitted", Notes),
    w("en", Video, "video omitted", Notes),
    w("en", Audio, "audio omitted", Notes),
    w("en", Sticker, "sticker omitted", Notes),
    w("en", Gif, "GIF omitted", Notes),
    w("en", Document, "document omitted", Notes),
    w("en", Contact, "Contact card omitted", Kw),
    w("en", Deleted, "This message was deleted", Notes),
    w("en", DeletedByYou, "You deleted this message", Notes),
    w("en", Edited, "<This message was edited>", Notes),
    w(
        "en",
        Notice,
        "Messages and calls are end-to-end encrypted.",
        Notes,
    ),
    w(
        "en",
        Notice,
        "Messages to this group are now secured with end-to-end encryption.",
        Export,
    ),
    w(
        "en",
        Notice,
        "Messages you send to this group are now secured with end-to-end encryption.",
        Notes,
    ),
    w(
        "en",
        Notice,
        "Messages you send to this chat and calls are now secured with end-to-end encryption.",
        Kw,
    ),
    // German.
    w("de", MediaOmitted, "<Medien ausgeschlossen>", Notes),
    w("de", MediaOmitted, "<Medien weggelassen>", Kw),
    w("de", Photo, "Bild weggelassen", Kw), // several lists agree
    w("de", Video, "Video weggelassen", Kw),
    w("de", Audio, "Audio weggelassen", Kw),
    w("de", Sticker, "Sticker weggelassen", Kw),
    w("de", Gif, "GIF weggelassen", Kw),
    w("de", Document, "Dokument weggelassen", Kw),
    w("de", Contact, "Kontaktkarte ausgelassen", Kw),
    w("de", Contact, "Kontaktkarte weggelassen", Kw),
    w("de", Deleted, "Diese Nachricht wurde gelöscht", Notes),
    w(
        "de",
        DeletedByYou,
        "Du hast diese Nachricht gelöscht",
        Notes,
    ),
    w("de", Edited, "<Diese Nachricht wurde bearbeitet.>", Notes),
    w("de", Edited, "<Diese Nachricht wurde bearbeitet>", Kw),
    w(
        "de",
        Notice,
        "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt.",
        Kw,
    ),
    // Spanish.
    w("es", MediaOmitted, "<Multimedia omitido>", Notes),
    w("es", MediaOmitted, "<Archivo omitido>", Kw),
    w("es", MediaOmitted, "<Medios omitidos>", Kw),
    w("es", Photo, "imagen omitida", Kw),
    w("es", Video, "video omitido", Kw),
    w("es", Audio, "audio omitido", Kw),
    w("es", Sticker, "sticker omitido", Kw),
    w("es", Gif, "GIF omitido", Kw),
    w("es", Document, "documento omitido", Kw),
    w("es", Contact, "Tarjeta de contacto omitida", Kw),
    w("es", Deleted, "Se eliminó este mensaje", Kw),
    w("es", Deleted, "Este mensaje fue eliminado", Kw),
    w("es", DeletedByYou, "Eliminaste este mensaje", Kw),
    w("es", Edited, "<Se editó este mensaje.>", Kw),
    w("es", Edited, "<Este mensaje fue editado>", Kw),
    w(
        "es",
        Notice,
        "Los mensajes y las llamadas están cifrados de extremo a extremo.",
        Kw,
    ),
    // Portuguese (Portugal and Brazil word it differently).
    w("pt", MediaOmitted, "<Mídia omitida>", Kw),
    w("pt", MediaOmitted, "<Ficheiro não revelado>", Kw),
    w("pt", Photo, "imagem não revelada", Kw),
    w("pt", Photo, "imagem ocultada", Kw),
    w("pt", Video, "vídeo não revelado", Kw),
    w("pt", Audio, "ficheiro de áudio não revelado", Kw),
    w("pt", Sticker, "sticker não revelado", Kw),
    w("pt", Gif, "GIF não revelada", Kw),
    w("pt", Document, "documento não revelado", Kw),
    w("pt", Contact, "Contacto não revelado", Kw),
    w("pt", Deleted, "Esta mensagem foi apagada", Kw),
    w("pt", DeletedByYou, "Apagou esta mensagem", Kw),
    w("pt", DeletedByYou, "Você apagou esta mensagem", Kw),
    w("pt", Edited, "<Esta mensagem foi editada>", Kw),
    w(
        "pt",
        Notice,
        "As mensagens e chamadas são encriptadas ponto a ponto.",
        Kw,
    ),
    // French.
    w("fr", MediaOmitted, "<Médias omis>", Kw),
    w("fr", MediaOmitted, "<Fichier omis>", Kw),
    w("fr", Photo, "image absente", Kw),
    w("fr", Video, "vidéo absente", Kw),
    w("fr", Audio, "audio omis", Kw),
    w("fr", Sticker, "sticker omis", Kw),
    w("fr", Gif, "GIF retiré", Kw),
    w("fr", Document, "document manquant", Kw),
    w("fr", Contact, "Fiche contact manquante", Kw),
    w("fr", Deleted, "Ce message a été supprimé", Kw),
    w("fr", DeletedByYou, "Vous avez supprimé ce message", Kw),
    w("fr", Edited, "<Ce message a été modifié>", Kw),
    w(
        "fr",
        Notice,
        "Les messages et les appels sont chiffrés de bout en bout.",
        Kw,
    ),
    // Italian.
    w("it", MediaOmitted, "<Media omessi>", Kw),
    w("it", MediaOmitted, "<Media omesso>", Kw),
    w("it", Photo, "immagine omessa", Kw),
    w("it", Video, "video omesso", Kw),
    w("it", Audio, "audio omesso", Kw),
    w("it", Sticker, "sticker non incluso", Kw),
    w("it", Gif, "GIF esclusa", Kw),
    w("it", Document, "documento omesso", Kw),
    w("it", Contact, "Scheda contatto omessa", Kw),
    w("it", Deleted, "Questo messaggio è stato eliminato", Kw),
    w("it", DeletedByYou, "Hai eliminato questo messaggio", Kw),
    w("it", Edited, "<Questo messaggio è stato modificato>", Kw),
    w(
        "it",
        Notice,
        "I messaggi e le chiamate sono crittografati end-to-end.",
        Kw,
    ),
    // Dutch.
    w("nl", MediaOmitted, "<Media weggelaten>", Kw), // several lists agree
    w("nl", Photo, "afbeelding weggelaten", Kw),     // several lists agree
    w("nl", Video, "video weggelaten", Kw),
    w("nl", Audio, "audio weggelaten", Kw),
    w("nl", Sticker, "sticker weggelaten", Kw),
    w("nl", Gif, "GIF weggelaten", Kw),
    w("nl", Document, "document weggelaten", Kw),
    w("nl", Deleted, "Dit bericht is verwijderd", Kw),
    w("nl", DeletedByYou, "U hebt dit bericht verwijderd", Kw),
    w("nl", DeletedByYou, "Je hebt dit bericht verwijderd", Kw),
    w(
        "nl",
        Notice,
        "Berichten en oproepen worden end-to-end versleuteld.",
        Kw,
    ),
    // Russian (Cyrillic has no ASCII case folding: both capitalisations are listed).
    w("ru", MediaOmitted, "<Без медиафайлов>", Kw),
    w("ru", MediaOmitted, "<без медиафайлов>", Kw),
    w("ru", MediaOmitted, "<Файл пропущен>", Kw),
    w("ru", Photo, "изображение отсутствует", Kw),
    w("ru", Video, "видео отсутствует", Kw),
    w("ru", Audio, "аудио отсутствует", Kw),
    w("ru", Sticker, "стикер не добавлен", Kw),
    w("ru", Gif, "GIF отсутствует", Kw),
    w("ru", Document, "документ отсутствует", Kw),
    w("ru", Contact, "карточка контакта отсутствует", Kw),
    w("ru", Deleted, "Данное сообщение удалено", Kw),
    w("ru", Deleted, "Это сообщение удалено", Kw),
    w("ru", DeletedByYou, "Вы удалили данное сообщение", Kw),
    w("ru", DeletedByYou, "Вы удалили это сообщение", Kw),
    w("ru", Edited, "<Это сообщение изменено>", Kw),
    w(
        "ru",
        Notice,
        "Сообщения и звонки защищены сквозным шифрованием.",
        Kw,
    ),
    // Turkish.
    w("tr", MediaOmitted, "<Medya dahil edilmedi>", Kw), // several lists agree
    w("tr", MediaOmitted, "<Medya atlanmış>", Kw),
    w("tr", Photo, "görüntü dahil edilmedi", Kw),
    w("tr", Video, "video dahil edilmedi", Kw),
    w("tr", Audio, "ses dahil edilmedi", Kw),
    w("tr", Sticker, "çıkartma dahil edilmedi", Kw),
    w("tr", Gif, "GIF dahil edilmedi", Kw),
    w("tr", Document, "belge dahil edilmedi", Kw),
    w("tr", Deleted, "Bu mesaj silindi", Kw),
    w("tr", DeletedByYou, "Bu mesajı sildiniz", Kw),
    w(
        "tr",
        Notice,
        "Mesajlar ve aramalar uçtan uca şifrelidir.",
        Kw,
    ),
    // Indonesian.
    w("id", MediaOmitted, "<Media tidak disertakan>", Kw), // several lists agree
    w("id", Photo, "gambar tidak disertakan", Kw),
    w("id", Video, "video tidak disertakan", Kw),
    w("id", Audio, "audio tidak disertakan", Kw),
    w("id", Sticker, "stiker tidak disertakan", Kw),
    w("id", Gif, "GIF tidak disertakan", Kw),
    w("id", Document, "dokumen tidak disertakan", Kw),
    w("id", Deleted, "Pesan ini telah dihapus", Kw),
    w("id", Deleted, "Pesan ini dihapus", Kw),
    w("id", DeletedByYou, "Anda menghapus pesan ini", Kw),
    w(
        "id",
        Notice,
        "Pesan dan panggilan terenkripsi secara end-to-end.",
        Kw,
    ),
];

/// "With media" Android exports name the file, then say it is attached. The file name
/// is the sender's for documents (`Report Q3.pdf (file attached)`), so the suffix is
/// what tells; WhatsApp's own names (`IMG-…-WA0001.jpg`) are recognised in any language.
const ATTACHED_SUFFIX: &[(&str, &str, Seen)] = &[
    ("en", "(file attached)", Export),
    ("de", "(Datei angehängt)", Notes),
    ("es", "(archivo adjunto)", Kw),
    ("pt", "(arquivo anexado)", Kw),
    ("fr", "(fichier joint)", Kw),
    ("it", "(file allegato)", Kw),
    ("nl", "(bestand bijgevoegd)", Kw),
    ("tr", "(dosya ekli)", Kw),
    ("id", "(file terlampir)", Kw),
];

const LRM: char = '\u{200E}';

/// Placeholders are short: a longer first line is a person writing.
const MAX_CANDIDATE: usize = 256;

/// The longest whole-line wording, in bytes (lengths are tracked up to 127).
const LEN_CAP: usize = 127;

/// For each last byte (ASCII letters folded to lower case), the lengths of the
/// whole-line wordings that end in it, as a bit set over 0..=127 (two words, so a test
/// is one shift).
static CANDIDATE: [[u64; 2]; 256] = candidates(true);

/// The same by first byte: with both, a line of a placeholder's length is compared only
/// if it also starts and ends as one does.
static CANDIDATE_FIRST: [[u64; 2]; 256] = candidates(false);

const fn candidates(by_last: bool) -> [[u64; 2]; 256] {
    let mut set = [[0u64; 2]; 256];
    let mut i = 0;
    while i < WORDINGS.len() {
        let w = &WORDINGS[i];
        let b = w.text.as_bytes();
        if !matches!(w.what, What::Edited | What::Notice) && b.len() <= LEN_CAP {
            let at = if by_last { b.len() - 1 } else { 0 };
            set[b[at].to_ascii_lowercase() as usize][b.len() / 64] |= 1u64 << (b.len() % 64);
        }
        i += 1;
    }
    set
}

/// Indices into [`WORDINGS`] ordered by text length, and where each length starts in
/// that order: a candidate line is compared only with the wordings of its length.
static BY_LEN: ([u16; WORDINGS.len()], [u16; LEN_CAP + 2]) = by_len();

const fn by_len() -> ([u16; WORDINGS.len()], [u16; LEN_CAP + 2]) {
    let mut order = [0u16; WORDINGS.len()];
    let mut start = [0u16; LEN_CAP + 2];
    let mut n = 0;
    let mut len = 0;
    while len <= LEN_CAP {
        start[len] = n as u16;
        let mut i = 0;
        while i < WORDINGS.len() {
            if WORDINGS[i].text.len() == len {
                order[n] = i as u16;
                n += 1;
            }
            i += 1;
        }
        len += 1;
    }
    start[LEN_CAP + 1] = n as u16;
    (order, start)
}

/// Whether some whole-line wording has the length and the last byte of `b`: two loads,
/// and false for almost every line a person writes.
#[inline]
fn candidate(b: &[u8]) -> bool {
    match (b.first(), b.last()) {
        (Some(&first), Some(&last)) if b.len() <= LEN_CAP => {
            let (word, bit) = (b.len() / 64, 1u64 << (b.len() % 64));
            CANDIDATE[usize::from(last.to_ascii_lowercase())][word] & bit != 0
                && CANDIDATE_FIRST[usize::from(first.to_ascii_lowercase())][word] & bit != 0
        }
        _ => false,
    }
}

/// The wording `text` is, compared without ASCII case (`<media omitted>` is old iOS).
// Off the hot path: kept out of `classify`, whose common case is a few loads.
#[cold]
#[inline(never)]
fn lookup(text: &str) -> Option<Kind> {
    let b = text.as_bytes();
    if !candidate(b) {
        return None;
    }
    let (order, start) = &BY_LEN;
    let same_len = order.get(usize::from(start[b.len()])..usize::from(start[b.len() + 1]))?;
    same_len
        .iter()
        .filter_map(|&i| WORDINGS.get(usize::from(i)))
        // The exact compare first: WhatsApp's own case is by far the common one.
        .find(|w| w.text.as_bytes() == b || w.text.as_bytes().eq_ignore_ascii_case(b))
        .and_then(|w| w.what.kind())
}

/// For each last byte, the lengths of the document placeholders that end in it, as a
/// bit set over 0..=127: iOS writes a document's name, then a direction mark and the
/// placeholder, on one line.
static DOCUMENT_END: [u128; 256] = {
    let mut set = [0u128; 256];
    let mut i = 0;
    while i < WORDINGS.len() {
        let b = WORDINGS[i].text.as_bytes();
        if matches!(WORDINGS[i].what, What::Document) && b.len() <= LEN_CAP {
            set[b[b.len() - 1].to_ascii_lowercase() as usize] |= 1u128 << b.len();
        }
        i += 1;
    }
    set
};

/// "report.pdf • 3 pages ‎document omitted": a document placeholder after a direction
/// mark, at the end of a longer line. Only the lengths of document placeholders that
/// end in the line's last byte are tried (one or two), so the line is never scanned.
// Off the hot path: kept out of `classify`, whose common case is a few loads.
#[cold]
#[inline(never)]
fn document_after_mark(text: &str) -> bool {
    let b = text.as_bytes();
    let Some(&last) = b.last() else {
        return false;
    };
    let mut lengths = DOCUMENT_END[usize::from(last.to_ascii_lowercase())];
    while lengths != 0 {
        let len = lengths.trailing_zeros() as usize;
        lengths &= lengths - 1;
        if let Some(at) = b.len().checked_sub(len)
            && at >= 3
            && b[at - 3..at] == [0xE2, 0x80, 0x8E]
            && text.get(at..).and_then(lookup) == Some(Kind::Media)
        {
            return true;
        }
    }
    false
}

/// How many wordings stand for `what`.
const fn count(what: What) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < WORDINGS.len() {
        if WORDINGS[i].what as u8 == what as u8 {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The texts of the wordings that stand for `what`, gathered at compile time: the
/// notices and edited markers are looked for on every message, not worth a walk of
/// the whole table.
const fn gather<const N: usize>(what: What) -> [&'static str; N] {
    let mut out = [""; N];
    let (mut i, mut j) = (0, 0);
    while i < WORDINGS.len() {
        if WORDINGS[i].what as u8 == what as u8 {
            out[j] = WORDINGS[i].text;
            j += 1;
        }
        i += 1;
    }
    out
}

const NOTICE_COUNT: usize = count(What::Notice);
static NOTICES: [&str; NOTICE_COUNT] = gather(What::Notice);
static EDITED: [&str; count(What::Edited)] = gather(What::Edited);

/// First bytes of the notices, and 0xE2, which starts the direction mark before one.
static NOTICE_FIRST: [bool; 256] = {
    let mut set = [false; 256];
    let mut i = 0;
    while i < NOTICE_COUNT {
        set[NOTICES[i].as_bytes()[0] as usize] = true;
        i += 1;
    }
    set[0xE2] = true;
    set
};

/// Every notice is longer than this, direction marks aside.
const NOTICE_MIN: usize = 40;

/// True if `text` (a message's first line) starts with a notice WhatsApp writes with the
/// chat's name as the author.
#[inline]
pub fn is_notice(text: &str) -> bool {
    // Most messages are shorter, or start otherwise: two compares, inlined.
    let b = text.as_bytes();
    b.len() >= NOTICE_MIN && NOTICE_FIRST[usize::from(b[0])] && starts_with_notice(text)
}

#[inline(never)]
fn starts_with_notice(text: &str) -> bool {
    let text = text.trim_start_matches(LRM);
    let b = text.as_bytes();
    b.len() >= NOTICE_MIN
        && NOTICE_FIRST[usize::from(b[0])]
        && NOTICES
            .iter()
            .any(|n| n.as_bytes()[1] == b[1] && text.starts_with(n))
}

/// WhatsApp's own name for an exported file: `00000042-PHOTO-2019-06-20-16-00-15.jpg` or
/// `00000004-Report Q3.zip` (iOS: a counter, then the kind or the sender's file name),
/// `2015-08-04-PHOTO-00004762.jpg` (old iOS) or `IMG-20210428-WA0001.jpg` (Android). The
/// language of the phone does not change it.
fn is_whatsapp_file(name: &str) -> bool {
    let b = name.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let upper_word_at = |i: usize| {
        let n = b.get(i..).map_or(0, |rest| {
            rest.iter().take_while(|c| c.is_ascii_uppercase()).count()
        });
        n > 0 && b.get(i + n) == Some(&b'-')
    };
    let ios = digits(0..8) && b.get(8) == Some(&b'-') && b.len() > 9;
    let old_ios = digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && b.get(10) == Some(&b'-')
        && upper_word_at(11);
    let android = !name.contains(' ')
        && memchr::memmem::find(b, b"-WA")
            .is_some_and(|i| b.get(i + 3).is_some_and(u8::is_ascii_digit));
    (ios || old_ios || android) && name.contains('.')
}

/// `<attached: NAME>` in any language (`<Anhang: NAME>`), padded or not
/// (`< attached: NAME >`), and old iOS's `NAME <‎attached>`.
// Off the hot path: kept out of `classify`, whose common case is a few loads.
#[cold]
#[inline(never)]
fn is_attached_in_angles(text: &str) -> bool {
    let Some(inner) = text.strip_suffix('>') else {
        return false;
    };
    if let Some(inner) = inner.strip_prefix('<') {
        let inner = inner.trim_matches([' ', LRM]);
        if let Some((_, name)) = inner.split_once(": ") {
            return is_whatsapp_file(name.trim());
        }
        return false;
    }
    inner
        .rsplit_once(" <")
        .is_some_and(|(name, _)| is_whatsapp_file(name.trim_matches([' ', LRM])))
}

/// `NAME (file attached)` and its translations; any `WA`-named file with a bracketed
/// note after it.
// Off the hot path: kept out of `classify`, whose common case is a few loads.
#[cold]
#[inline(never)]
fn is_attached_suffix(text: &str) -> bool {
    if ATTACHED_SUFFIX.iter().any(|(_, s, _)| text.ends_with(s)) {
        return true;
    }
    text.rsplit_once(" (")
        .is_some_and(|(name, _)| is_whatsapp_file(name.trim_start_matches(LRM)))
}

/// [`classify`] by the first and last byte of a line: 0 for nearly every line a person
/// writes, which is then compared with nothing unless its length, first and last byte
/// fit a wording.
const GENERAL: u8 = 1;
/// The last byte may end a non-ASCII whitespace character (and often ends an emoji).
const MAYBE_SPACE: u8 = 2;

/// Every character `str::trim_end` removes (`char::is_whitespace`; a test checks).
const WHITESPACE: [char; 25] = [
    '\u{9}', '\u{A}', '\u{B}', '\u{C}', '\u{D}', ' ', '\u{85}', '\u{A0}', '\u{1680}', '\u{2000}',
    '\u{2001}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}', '\u{2008}',
    '\u{2009}', '\u{200A}', '\u{2028}', '\u{2029}', '\u{202F}', '\u{205F}', '\u{3000}',
];

/// A line that starts with a space or a direction mark (0xE2 starts U+200E) is trimmed
/// first: the general path.
static EDGE_FIRST: [u8; 256] = {
    let mut set = [0u8; 256];
    set[b' ' as usize] = GENERAL;
    set[0xE2] = GENERAL;
    set
};

/// A line that ends in `.`, `>` or `)`, or in ASCII whitespace, takes the general path;
/// one that ends in the last byte of another whitespace character is trimmed to tell.
static EDGE_LAST: [u8; 256] = {
    let mut set = [0u8; 256];
    let mut i = 0;
    while i < WHITESPACE.len() {
        let c = WHITESPACE[i] as u32;
        if c < 0x80 {
            set[c as usize] = GENERAL;
        } else {
            // The last byte of a multi-byte character: 10xxxxxx with its low six bits.
            set[(0x80 | (c & 0x3F)) as usize] = MAYBE_SPACE;
        }
        i += 1;
    }
    set[b'.' as usize] = GENERAL;
    set[b'>' as usize] = GENERAL;
    set[b')' as usize] = GENERAL;
    set
};

/// For each last byte (either ASCII case), where the direction mark before a document
/// placeholder ending in it starts, counted from the end of the line (the placeholder's
/// length + 3); 0 ends the list.
static DOCUMENT_MARK_AT: [[u8; 4]; 256] = {
    let mut at = [[0u8; 4]; 256];
    let mut i = 0;
    while i < WORDINGS.len() {
        let b = WORDINGS[i].text.as_bytes();
        if matches!(WORDINGS[i].what, What::Document) && b.len() <= LEN_CAP {
            let last = b[b.len() - 1];
            let mut k = 0;
            while at[last.to_ascii_lowercase() as usize][k] != 0 {
                k += 1; // more than four would fail to compile: index out of bounds
            }
            at[last.to_ascii_lowercase() as usize][k] = (b.len() + 3) as u8;
            at[last.to_ascii_uppercase() as usize][k] = (b.len() + 3) as u8;
        }
        i += 1;
    }
    at
};

/// Whether a direction mark stands where one would before a document placeholder that
/// ends `b` (a few byte compares, no scan); [`document_after_mark`] then decides.
#[inline]
fn document_mark_may_precede(b: &[u8], last: u8) -> bool {
    for &d in &DOCUMENT_MARK_AT[usize::from(last)] {
        if d == 0 {
            return false;
        }
        if let Some(at) = b.len().checked_sub(usize::from(d))
            && b[at] == 0xE2
        {
            return true;
        }
    }
    false
}

/// The kind of a message from its first line, which has had any leading LRM removed.
pub fn classify(first_line: &str) -> Kind {
    let b = first_line.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return Kind::Message;
    };
    if b.len() > MAX_CANDIDATE {
        return Kind::Message;
    }
    match EDGE_FIRST[usize::from(first)] | EDGE_LAST[usize::from(last)] {
        0 => {}
        MAYBE_SPACE if first_line.trim_end().len() == b.len() => {}
        _ => return classify_general(first_line),
    }
    // Nothing to trim, no final '.', and not an attachment rule's last byte: the line is
    // a whole wording, a document after a direction mark, or a message.
    if candidate(b)
        && let Some(kind) = lookup(first_line)
    {
        return kind;
    }
    if document_mark_may_precede(b, last) && document_after_mark(first_line) {
        return Kind::Media;
    }
    Kind::Message
}

/// [`classify`] for a line that may need trimming, or ends in `.`, `>` or `)`.
#[inline(never)]
fn classify_general(first_line: &str) -> Kind {
    let mut text = first_line.trim_end();
    // Padding and direction marks are rare; most lines skip the trim.
    if matches!(text.as_bytes().first(), Some(b' ' | 0xE2)) {
        text = text.trim_start_matches([LRM, ' ']);
    }
    let b = text.as_bytes();
    let Some(&last) = b.last() else {
        return Kind::Message;
    };
    // A final '.' varies with the app version ("This message was deleted.").
    let whole = match last {
        b'.' => text.get(..b.len() - 1).unwrap_or(text),
        _ => text,
    };
    if candidate(whole.as_bytes())
        && let Some(kind) = lookup(whole)
    {
        return kind;
    }
    match last {
        b'>' if is_attached_in_angles(text) => Kind::Media,
        b')' if is_attached_suffix(text) => Kind::Media,
        _ if DOCUMENT_END[usize::from(last.to_ascii_lowercase())] != 0
            && document_after_mark(text) =>
        {
            Kind::Media
        }
        _ => Kind::Message,
    }
}

/// The shortest edited marker, in bytes.
const EDITED_MIN: usize = {
    let mut min = usize::MAX;
    let mut i = 0;
    while i < WORDINGS.len() {
        let w = &WORDINGS[i];
        if matches!(w.what, What::Edited) && w.text.len() < min {
            min = w.text.len();
        }
        i += 1;
    }
    min
};

/// Removes a trailing edited marker from `text`; true if there was one.
#[inline]
pub fn strip_edited(text: &mut String) -> bool {
    // Every marker ends in '>'; Android's `<Media omitted>` does too, but is shorter.
    text.len() >= EDITED_MIN && text.ends_with('>') && strip_edited_marker(text)
}

#[inline(never)]
fn strip_edited_marker(text: &mut String) -> bool {
    for marker in EDITED {
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

    /// The languages the issue names, each with every kind of media, "media omitted"
    /// and a deleted message.
    #[test]
    fn every_named_language_covers_every_placeholder() {
        for lang in ["en", "de", "es", "pt", "fr", "it", "nl", "ru", "tr", "id"] {
            for what in [
                MediaOmitted,
                Photo,
                Video,
                Audio,
                Sticker,
                Gif,
                Document,
                Deleted,
                DeletedByYou,
                Notice,
            ] {
                assert!(
                    WORDINGS.iter().any(|w| w.lang == lang && w.what == what),
                    "{lang} has no {what:?}"
                );
            }
        }
    }

    #[test]
    fn every_wording_is_recognised_as_what_it_stands_for() {
        for w in WORDINGS {
            if let Some(kind) = w.what.kind() {
                assert_eq!(classify(w.text), kind, "{w:?}");
                // As iOS writes it: a direction mark before, sometimes a final dot.
                assert_eq!(classify(&format!("\u{200e}{}.", w.text)), kind, "{w:?}");
            }
            assert!(!w.text.ends_with(' ') && w.text.len() <= LEN_CAP, "{w:?}");
        }
    }

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
            "Bericht.pdf • 3 Seiten \u{200e}Dokument weggelassen",
            "<attached: 00000001-PHOTO-2019-06-20-16-00-15.jpg>",
            "< attached: 00000042-PHOTO-2019-06-20-16-00-15.jpg >",
            "<attached: 00000004-whatsapp-chat-parser-example.zip>",
            "<Anhang: 00000042-PHOTO-2020-01-05-10-11-12.jpg>",
            "<\u{200e}adjunto: 00000007-VIDEO-2020-01-05-10-11-12.mp4>",
            "IMG-20210428-WA0001.jpg (file attached)",
            "IMG-20210428-WA0001.jpg (Datei angehängt)",
            "Relatório final.pdf (arquivo anexado)",
            "PTT-20210428-WA0003.opus (fichier joint)",
            "VID-20210428-WA0002.mp4 (bijlage)",
            "2015-08-04-PHOTO-00004762.jpg <\u{200e}attached>",
            "Bild weggelassen",
            "\u{200e}GIF weggelassen",
            "изображение отсутствует",
            "<Medya dahil edilmedi>",
            "<Media tidak disertakan>",
        ] {
            assert_eq!(classify(t), Kind::Media, "{t}");
        }
    }

    #[test]
    fn deleted_and_plain() {
        assert_eq!(classify("This message was deleted"), Kind::Deleted);
        assert_eq!(classify("\u{200e}You deleted this message"), Kind::Deleted);
        assert_eq!(classify("Diese Nachricht wurde gelöscht."), Kind::Deleted);
        assert_eq!(classify("Se eliminó este mensaje."), Kind::Deleted);
        assert_eq!(classify("Bu mesaj silindi"), Kind::Deleted);
        for t in [
            "I omitted nothing",
            "the image omitted from the slides was mine",
            "my video omitted",
            "",
            "<b>",
            "<note: see you at 7>",
            "This message was deleted by the admin, rude",
            "Meet me at IMG (the gallery)",
            "<attached: my holiday.jpg>",
            "<note: 12345678 is my number.>",
            "Bild weggelassen? Nein, hier ist es",
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
    fn the_whitespace_list_is_what_trim_end_removes() {
        let all: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert_eq!(all, WHITESPACE);
    }

    /// Lines built from pieces of every wording and of the rules' edges: the inlined
    /// gates of [`classify`], [`is_notice`] and [`strip_edited`] never decide otherwise
    /// than the full comparisons behind them.
    #[test]
    fn the_fast_paths_decide_as_the_full_rules() {
        let mut pieces: Vec<String> = WORDINGS.iter().map(|w| w.text.to_owned()).collect();
        pieces.extend(WORDINGS.iter().map(|w| w.text.to_uppercase()));
        pieces.extend(
            WORDINGS
                .iter()
                .map(|w| w.text.chars().skip(1).collect::<String>()),
        );
        pieces.extend(ATTACHED_SUFFIX.iter().map(|(_, s, _)| (*s).to_owned()));
        for p in [
            "",
            " ",
            ".",
            ">",
            ")",
            "<",
            "\u{200e}",
            "\u{200e}\u{200e}",
            "\u{202f}",
            "\u{3000}",
            "\u{a0}",
            "\u{2029}",
            "\t",
            "\r",
            "🎉",
            "🚀",
            "😂",
            "café",
            "x",
            "report.pdf • 3 pages ",
            "IMG-20210428-WA0001.jpg ",
            "<attached: 00000001-PHOTO-2019-06-20-16-00-15.jpg>",
        ] {
            pieces.push(p.to_owned());
        }
        let n = pieces.len();
        let mut lines = pieces.clone();
        for (i, a) in pieces.iter().enumerate() {
            for b in [0, 1, 2, 3, 5, 8, 13].map(|k| &pieces[(i * 7 + k * 31) % n]) {
                for c in ["", " ", ".", "\u{200e}", "🎉", "\u{2009}"] {
                    lines.push(format!("{a}{b}{c}"));
                    lines.push(format!("{c}{b}{a}"));
                    lines.push(format!("{b}\u{200e}{a}{c}"));
                }
            }
        }
        let mut fast_hits = [0; 2];
        for line in &lines {
            if line.len() <= MAX_CANDIDATE {
                let kind = classify(line);
                assert_eq!(kind, classify_general(line), "{line:?}");
                let (first, last) = (line.as_bytes().first(), line.as_bytes().last());
                if let (Some(&f), Some(&l)) = (first, last)
                    && EDGE_FIRST[usize::from(f)] | EDGE_LAST[usize::from(l)] == 0
                {
                    fast_hits[usize::from(line.contains(LRM))] +=
                        usize::from(kind != Kind::Message);
                }
            }
            assert_eq!(is_notice(line), starts_with_notice(line), "{line:?}");
            let (mut fast, mut full) = (line.clone(), line.clone());
            assert_eq!(
                strip_edited(&mut fast),
                strip_edited_marker(&mut full),
                "{line:?}"
            );
            assert_eq!(fast, full);
        }
        // The fast path itself finds whole wordings, and documents after a mark.
        assert!(fast_hits[0] > 100 && fast_hits[1] > 10, "{fast_hits:?}");
    }

    #[test]
    fn notices() {
        assert!(is_notice(
            "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them."
        ));
        assert!(is_notice(
            "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen oder anhören, nicht einmal WhatsApp."
        ));
        assert!(!is_notice("Messages are fun"));
        assert!(!is_notice(
            "Messages and calls are what we do here, all day long"
        ));
    }
}
