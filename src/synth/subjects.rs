//! The data subjects: ids, countries, and for a few of them a phone number
//! and e-mail address so that look-ups by contact detail can be tested.

use std::collections::HashSet;

use super::cast::COUNTRIES;
use super::events::subject_id;
use super::rng::Rng;

/// How many data subjects the sample (and every data set of up to 450 000
/// background events) has. The scenario draws its subjects from these.
pub(crate) const SUBJECTS: u32 = 3000;

/// Larger data sets get one data subject per this many background events, so
/// a subject's history stays the size a real one would have instead of
/// growing with the data set (lookups and bulk answers at 10 M events).
const EVENTS_PER_SUBJECT: u64 = 150;

/// The subject population of a data set with `background_events`: 3000, or
/// one per 150 background events (about 667 000 at 100 M events; subject
/// indexes are 32 bits, so the population grows with the data set).
pub(crate) fn population(background_events: u64) -> u32 {
    (background_events / EVENTS_PER_SUBJECT).clamp(u64::from(SUBJECTS), u64::from(u32::MAX)) as u32
}

/// One subject in every this many has a phone number and e-mail (5 %).
const CONTACT_EVERY: usize = 20;

pub(crate) struct Subjects {
    pub ids: Vec<[u8; 13]>,
    /// Index into [`COUNTRIES`].
    pub country: Vec<u8>,
    pub contact: Vec<Option<(String, String)>>,
}

const MAIL_WORDS: [&str; 12] = [
    "sakura", "hana", "yuki", "sora", "mei", "lin", "pim", "dao", "budi", "sari", "kaito", "nami",
];
const MAIL_DOMAINS: [&str; 3] = ["mail.example", "post.example", "inbox.example"];

pub(crate) fn build(seed: u64, population: u32) -> Subjects {
    let mut rng = Rng::stream(seed, 1);
    let n = population as usize;

    let mut seen = HashSet::with_capacity(n);
    let mut ids = Vec::with_capacity(n);
    while ids.len() < n {
        let id = subject_id(rng.next_u64());
        if seen.insert(id) {
            ids.push(id);
        }
    }

    let per: u64 = COUNTRIES.iter().map(|c| c.1).sum();
    let mut country: Vec<u8> = Vec::with_capacity(n);
    for (i, &(_, share)) in COUNTRIES.iter().enumerate() {
        let k = n as u64 * share / per;
        country.extend(std::iter::repeat_n(i as u8, k as usize));
    }
    country.resize(n, 0);
    rng.shuffle(&mut country);

    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut contact = vec![None; n];
    let mut phones = HashSet::new();
    let mut mails = HashSet::new();
    for &i in order.iter().take(n / CONTACT_EVERY) {
        let phone = loop {
            let p = phone(&mut rng, COUNTRIES[usize::from(country[i])].0);
            if phones.insert(p.clone()) {
                break p;
            }
        };
        let hex = std::str::from_utf8(&ids[i][1..]).expect("ASCII id");
        let word = MAIL_WORDS[rng.below(MAIL_WORDS.len() as u64) as usize];
        let domain = MAIL_DOMAINS[rng.below(MAIL_DOMAINS.len() as u64) as usize];
        let mut mail = format!("{word}.{}@{domain}", &hex[..6]);
        if !mails.insert(mail.clone()) {
            mail = format!("{word}.{hex}@{domain}");
            mails.insert(mail.clone());
        }
        contact[i] = Some((phone, mail));
    }
    Subjects {
        ids,
        country,
        contact,
    }
}

fn digits(rng: &mut Rng, n: u32) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect()
}

/// A mobile number in the country's usual grouping.
fn phone(rng: &mut Rng, country: &str) -> String {
    match country {
        "JP" => format!(
            "+81-{}0-{}-{}",
            [9, 8, 7][rng.below(3) as usize],
            digits(rng, 4),
            digits(rng, 4)
        ),
        "TW" => format!(
            "+886-9{}-{}-{}",
            digits(rng, 2),
            digits(rng, 3),
            digits(rng, 3)
        ),
        "TH" => format!(
            "+66-{}{}-{}-{}",
            [6, 8, 9][rng.below(3) as usize],
            digits(rng, 1),
            digits(rng, 3),
            digits(rng, 4)
        ),
        _ => format!(
            "+62-8{}-{}-{}",
            digits(rng, 2),
            digits(rng, 4),
            digits(rng, 4)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn population_is_the_samples_up_to_450k_events_then_grows() {
        assert_eq!(population(6000), SUBJECTS);
        assert_eq!(population(450_000), SUBJECTS);
        assert_eq!(population(1_500_000), 10_000);
        assert_eq!(population(10_000_000), 66_666);
        assert_eq!(population(100_000_000), 666_666);
        assert_eq!(build(1, 5000).ids.len(), 5000);
    }
}
