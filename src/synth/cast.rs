//! The fictional cast of the data set: organizations, people, log accounts,
//! systems, data categories and subject countries.
//!
//! Every name here is invented for Retrace. The shape (an operator in Tokyo,
//! an affiliate in Shanghai, a monitoring contractor and its subcontractor in
//! Dalian, media storage in Korea) follows the public 2021 LINE reports; no
//! entry stands for a real person or company.

use super::clock::Zone;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Org {
    Operator,
    Affiliate,
    Monitor,
    Subcontractor,
    Korea,
}

pub(crate) struct OrgInfo {
    pub org: Org,
    pub name: &'static str,
    pub native: &'static str,
    pub city: &'static str,
    pub country: &'static str,
    pub part: &'static str,
}

pub(crate) const ORGS: [OrgInfo; 5] = [
    OrgInfo {
        org: Org::Operator,
        name: "Hoshizora Messaging K.K.",
        native: "星空メッセージング株式会社",
        city: "Tokyo",
        country: "JP",
        part: "operator of the messaging service; runs the Japan servers",
    },
    OrgInfo {
        org: Org::Affiliate,
        name: "Hoshizora Technology (Shanghai) Co., Ltd.",
        native: "星空科技（上海）有限公司",
        city: "Shanghai",
        country: "CN",
        part: "development affiliate; four engineers could reach Japan servers",
    },
    OrgInfo {
        org: Org::Monitor,
        name: "Kanade Monitoring K.K.",
        native: "奏モニタリング株式会社",
        city: "Tokyo",
        country: "JP",
        part: "monitoring contractor for posts and images",
    },
    OrgInfo {
        org: Org::Subcontractor,
        name: "Dalian Haiyun Review Co., Ltd.",
        native: "大连海韵内容审核有限公司",
        city: "Dalian",
        country: "CN",
        part: "subcontractor of the monitoring contractor; reviewed posts and images",
    },
    OrgInfo {
        org: Org::Korea,
        name: "Hoshizora Korea",
        native: "호시조라 코리아",
        city: "Seongnam",
        country: "KR",
        part: "operates the image storage in South Korea",
    },
];

pub(crate) fn org_info(org: Org) -> &'static OrgInfo {
    ORGS.iter()
        .find(|o| o.org == org)
        .expect("every Org has an entry")
}

pub(crate) struct Person {
    pub id: &'static str,
    pub display: &'static str,
    pub native: &'static str,
    pub org: Org,
    pub role: &'static str,
    pub zone: Zone,
}

const fn p(
    id: &'static str,
    display: &'static str,
    native: &'static str,
    org: Org,
    role: &'static str,
    zone: Zone,
) -> Person {
    Person {
        id,
        display,
        native,
        org,
        role,
        zone,
    }
}

// Indices into PEOPLE that the scenario refers to by name.
pub(crate) const OVERSEER_A: usize = 0;
pub(crate) const OVERSEER_B: usize = 1;
pub(crate) const APPROVER: usize = 2;
pub(crate) const ENGINEERS: [usize; 4] = [12, 13, 14, 15];
pub(crate) const REVIEWERS: [usize; 4] = [19, 20, 21, 22];

const SEC_OFFICE: &str = "Security office (overseer)";
const DB_ENG: &str = "Database engineer";
const TNS: &str = "Trust and safety analyst";
const SRE: &str = "Site reliability engineer";

pub(crate) const PEOPLE: [Person; 25] = [
    p(
        "P01",
        "Mori Keiko",
        "森恵子",
        Org::Operator,
        SEC_OFFICE,
        Zone::Tokyo,
    ),
    p(
        "P02",
        "Ishikawa Daisuke",
        "石川大輔",
        Org::Operator,
        SEC_OFFICE,
        Zone::Tokyo,
    ),
    p(
        "P03",
        "Tanaka Yuji",
        "田中雄二",
        Org::Operator,
        "Infrastructure manager (approver)",
        Zone::Tokyo,
    ),
    p(
        "P04",
        "Sato Ayaka",
        "佐藤彩花",
        Org::Operator,
        DB_ENG,
        Zone::Tokyo,
    ),
    p(
        "P05",
        "Suzuki Takumi",
        "鈴木拓海",
        Org::Operator,
        DB_ENG,
        Zone::Tokyo,
    ),
    p(
        "P06",
        "Takahashi Nao",
        "高橋奈緒",
        Org::Operator,
        "Customer support engineer",
        Zone::Tokyo,
    ),
    p(
        "P07",
        "Watanabe Ren",
        "渡辺蓮",
        Org::Operator,
        SRE,
        Zone::Tokyo,
    ),
    p(
        "P08",
        "Nakamura Misaki",
        "中村美咲",
        Org::Operator,
        TNS,
        Zone::Tokyo,
    ),
    p(
        "P09",
        "Kobayashi Shota",
        "小林翔太",
        Org::Operator,
        DB_ENG,
        Zone::Tokyo,
    ),
    p(
        "P10",
        "Yamamoto Emi",
        "山本恵美",
        Org::Operator,
        "Data analyst",
        Zone::Tokyo,
    ),
    p(
        "P11",
        "Kato Kenta",
        "加藤健太",
        Org::Operator,
        SRE,
        Zone::Tokyo,
    ),
    p(
        "P12",
        "Yoshida Saki",
        "吉田早紀",
        Org::Operator,
        TNS,
        Zone::Tokyo,
    ),
    p(
        "P13",
        "Chen Siyuan",
        "陈思远",
        Org::Affiliate,
        "Software engineer",
        Zone::Shanghai,
    ),
    p(
        "P14",
        "Wang Yuhang",
        "王宇航",
        Org::Affiliate,
        "Software engineer",
        Zone::Shanghai,
    ),
    p(
        "P15",
        "Liu Jiaqi",
        "刘佳琪",
        Org::Affiliate,
        "Software engineer",
        Zone::Shanghai,
    ),
    p(
        "P16",
        "Zhao Mingzhe",
        "赵明哲",
        Org::Affiliate,
        "Software engineer",
        Zone::Shanghai,
    ),
    p(
        "P17",
        "Ito Sayaka",
        "伊藤沙也加",
        Org::Monitor,
        "Monitoring operator",
        Zone::Tokyo,
    ),
    p(
        "P18",
        "Ogawa Ryo",
        "小川涼",
        Org::Monitor,
        "Monitoring operator",
        Zone::Tokyo,
    ),
    p(
        "P19",
        "Fujita Kana",
        "藤田佳奈",
        Org::Monitor,
        "Monitoring lead",
        Zone::Tokyo,
    ),
    p(
        "P20",
        "Sun Lijuan",
        "孙丽娟",
        Org::Subcontractor,
        "Content reviewer",
        Zone::Shanghai,
    ),
    p(
        "P21",
        "Zhou Haoran",
        "周浩然",
        Org::Subcontractor,
        "Content reviewer",
        Zone::Shanghai,
    ),
    p(
        "P22",
        "Xu Tingting",
        "徐婷婷",
        Org::Subcontractor,
        "Content reviewer",
        Zone::Shanghai,
    ),
    p(
        "P23",
        "Ma Xiaodong",
        "马晓东",
        Org::Subcontractor,
        "Content reviewer",
        Zone::Shanghai,
    ),
    p(
        "P24",
        "Han Jiwoo",
        "한지우",
        Org::Korea,
        "Media operations",
        Zone::Seoul,
    ),
    p(
        "P25",
        "Seo Yerin",
        "서예린",
        Org::Korea,
        "Media operations",
        Zone::Seoul,
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum System {
    MsgDb,
    ReportDb,
    ReviewConsole,
    Media,
}

pub(crate) const SYSTEMS: [System; 4] = [
    System::MsgDb,
    System::ReportDb,
    System::ReviewConsole,
    System::Media,
];

impl System {
    pub(crate) fn name(self) -> &'static str {
        match self {
            System::MsgDb => "jp-msg-db",
            System::ReportDb => "jp-report-db",
            System::ReviewConsole => "jp-review-console",
            System::Media => "kr-media-01",
        }
    }

    pub(crate) fn country(self) -> &'static str {
        match self {
            System::Media => "KR",
            _ => "JP",
        }
    }

    pub(crate) fn categories(self) -> u8 {
        match self {
            System::MsgDb => NAME | PHONE | EMAIL | ACCOUNT_ID,
            System::ReportDb => MESSAGE_TEXT | ACCOUNT_ID,
            System::ReviewConsole => MESSAGE_TEXT,
            System::Media => IMAGE_MEDIA,
        }
    }

    pub(crate) fn description(self) -> &'static str {
        match self {
            System::MsgDb => {
                "Messaging user database in Japan (tables users, user_contacts, stats_daily)"
            }
            System::ReportDb => "User report database in Japan (tables reports, report_queue)",
            System::ReviewConsole => "Monitoring contractor's review console over posts",
            System::Media => "Image storage in South Korea",
        }
    }

    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

// Data categories as bits, in vocabulary order.
pub(crate) const NAME: u8 = 1;
pub(crate) const PHONE: u8 = 2;
pub(crate) const EMAIL: u8 = 4;
pub(crate) const ACCOUNT_ID: u8 = 8;
pub(crate) const MESSAGE_TEXT: u8 = 16;
pub(crate) const IMAGE_MEDIA: u8 = 32;

pub(crate) const CATEGORY_NAMES: [&str; 6] = [
    "name",
    "phone",
    "email",
    "account_id",
    "message_text",
    "image_media",
];

/// `;`-joined vocabulary names of a category mask, in vocabulary order.
pub(crate) fn category_list(mask: u8) -> Vec<&'static str> {
    CATEGORY_NAMES
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, n)| *n)
        .collect()
}

pub(crate) fn system_list(mask: u8) -> Vec<&'static str> {
    SYSTEMS
        .iter()
        .filter(|s| mask & s.bit() != 0)
        .map(|s| s.name())
        .collect()
}

/// Subject countries and how many of every 20 subjects live there
/// (JP 70 %, TW 15 %, TH 10 %, ID 5 %).
pub(crate) const COUNTRIES: [(&str, u64); 4] = [("JP", 14), ("TW", 3), ("TH", 2), ("ID", 1)];

/// An account name as it appears in a log, and whom it belongs to.
pub(crate) struct Account {
    pub name: &'static str,
    /// Index into [`PEOPLE`]; `None` for the unattributed service and
    /// leftover accounts, which accounts.csv deliberately does not list.
    pub person: Option<usize>,
    /// The system this mapping is limited to (accounts.csv `system`).
    pub system: Option<System>,
    /// Client address prefix and first host number; events vary the last
    /// octet a little, like DHCP leases do.
    pub ip_prefix: &'static str,
    pub ip_host: u8,
}

const fn a(
    name: &'static str,
    person: Option<usize>,
    system: Option<System>,
    ip_prefix: &'static str,
    ip_host: u8,
) -> Account {
    Account {
        name,
        person,
        system,
        ip_prefix,
        ip_host,
    }
}

const TOKYO_NET: &str = "172.20.14.";
const SHANGHAI_NET: &str = "10.86.12.";
const DALIAN_NET: &str = "10.41.7.";
const KANADE_NET: &str = "192.168.30.";
const KOREA_NET: &str = "10.120.5.";

// Indices into ACCOUNTS used by the generator.
pub(crate) const ACC_DB: std::ops::Range<usize> = 0..12;
pub(crate) const ACC_MEDIA_TOKYO: [usize; 4] = [12, 13, 14, 15];
pub(crate) const ACC_ENGINEERS: [usize; 4] = [16, 17, 18, 19];
pub(crate) const ACC_KANADE: [usize; 3] = [20, 21, 22];
pub(crate) const ACC_REVIEWERS: [usize; 4] = [23, 24, 25, 26];
pub(crate) const ACC_KOREA: [usize; 2] = [27, 28];
pub(crate) const ACC_SVC_BATCH: usize = 29;
pub(crate) const ACC_TMP_OPS: usize = 30;
pub(crate) const ACC_MEDIA_SYNC: usize = 31;

pub(crate) const ACCOUNTS: [Account; 32] = [
    a("db_mori", Some(0), None, TOKYO_NET, 11),
    a("db_ishikawa", Some(1), None, TOKYO_NET, 12),
    a("db_tanaka", Some(2), None, TOKYO_NET, 13),
    a("db_sato", Some(3), None, TOKYO_NET, 31),
    a("db_suzuki", Some(4), None, TOKYO_NET, 32),
    a("db_takahashi", Some(5), None, TOKYO_NET, 41),
    a("db_watanabe", Some(6), None, TOKYO_NET, 51),
    a("db_nakamura", Some(7), None, TOKYO_NET, 61),
    a("db_kobayashi", Some(8), None, TOKYO_NET, 33),
    a("db_yamamoto", Some(9), None, TOKYO_NET, 71),
    a("db_kato", Some(10), None, TOKYO_NET, 52),
    a("db_yoshida", Some(11), None, TOKYO_NET, 62),
    a(
        "tanaka@hoshizora.example",
        Some(2),
        Some(System::Media),
        TOKYO_NET,
        13,
    ),
    a(
        "watanabe@hoshizora.example",
        Some(6),
        Some(System::Media),
        TOKYO_NET,
        51,
    ),
    a(
        "nakamura@hoshizora.example",
        Some(7),
        Some(System::Media),
        TOKYO_NET,
        61,
    ),
    a(
        "kato@hoshizora.example",
        Some(10),
        Some(System::Media),
        TOKYO_NET,
        52,
    ),
    a("chen.siyuan", Some(12), None, SHANGHAI_NET, 21),
    a("wang.yuhang", Some(13), None, SHANGHAI_NET, 34),
    a("liu.jiaqi", Some(14), None, SHANGHAI_NET, 47),
    a("zhao.mingzhe", Some(15), None, SHANGHAI_NET, 58),
    a("kanade_ito", Some(16), None, KANADE_NET, 21),
    a("kanade_ogawa", Some(17), None, KANADE_NET, 22),
    a("kanade_fujita", Some(18), None, KANADE_NET, 23),
    a("dl_review01", Some(19), None, DALIAN_NET, 101),
    a("dl_review02", Some(20), None, DALIAN_NET, 102),
    a("dl_review03", Some(21), None, DALIAN_NET, 103),
    a("dl_review04", Some(22), None, DALIAN_NET, 104),
    a("kr_ops_han", Some(23), None, KOREA_NET, 31),
    a("kr_ops_seo", Some(24), None, KOREA_NET, 32),
    a("svc_batch", None, None, "172.20.9.", 10),
    a("tmp_ops3", None, None, "172.20.88.", 203),
    a("media_sync", None, None, "10.120.9.", 10),
];

/// Number of accounts listed in accounts.csv (the unattributed ones are the
/// last entries of [`ACCOUNTS`] and are left out on purpose).
pub(crate) const MAPPED_ACCOUNTS: usize = 29;
