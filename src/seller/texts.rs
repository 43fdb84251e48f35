//! The sellers' texts: Uyghur first, then Chinese and English. Short, one
//! idea each: every one is also read aloud.

use leptos::prelude::*;

use crate::i18n::{Locale, catalog, use_i18n};

catalog! {
    SellerTexts;
    title,
    loading,
    error_network,
    error_server,
    retry,
    /// Signing in with the printed card.
    scan_card,
    card_not_working,
    signing_in,
    hear,
    home,
    my_products,
    to_prepare,
    my_money,
    nothing_to_prepare,
    /// "{n} orders"
    in_orders,
    since,
    no_products,
    status_pending,
    status_live,
    status_rejected,
    status_draft,
    reason_photo_unclear,
    reason_price_too_high,
    reason_price_too_low,
    reason_not_sold,
    reason_other,
    this_month,
    last_month,
    six_months,
    balance,
    paid_to_you,
    your_orders,
    sign_out,
    language,
}

pub const UG: SellerTexts = SellerTexts {
    title: "بازار — سېتىش",
    loading: "يۈكلىنىۋاتىدۇ…",
    error_network: "تور يوق. قايتا سىناڭ.",
    error_server: "خاتالىق كۆرۈلدى. قايتا سىناڭ.",
    retry: "قايتا سىناش",
    scan_card: "ئاچقۇچ كارتىڭىزدىكى كودنى تېلېفون كامېراسى بىلەن سىكانىرلاڭ.",
    card_not_working: "بۇ كارتا ئىشلىمەيدۇ. مەركەزدىن يېڭى كارتا ئېلىڭ.",
    signing_in: "كىرىۋاتىدۇ…",
    hear: "ئاڭلاش",
    home: "باش بەت",
    my_products: "مېنىڭ مېلىم",
    to_prepare: "تەييارلايدىغان مال",
    my_money: "مېنىڭ پۇلۇم",
    nothing_to_prepare: "ھازىرچە تەييارلايدىغان مال يوق.",
    in_orders: "{n} زاكاز",
    since: "زاكاز كۈنى",
    no_products: "تېخى مال يوق.",
    status_pending: "مەركەز تەكشۈرۈۋاتىدۇ",
    status_live: "دۇكاندا سېتىلىۋاتىدۇ",
    status_rejected: "قايتۇرۇلدى",
    status_draft: "تېخى ئەۋەتىلمىدى",
    reason_photo_unclear: "رەسىم ئېنىق ئەمەس. يورۇقتا قايتا تارتىڭ.",
    reason_price_too_high: "باھاسى بەك يۇقىرى.",
    reason_price_too_low: "باھاسى بەك تۆۋەن.",
    reason_not_sold: "بۇنى بۇ يەردە ساتقىلى بولمايدۇ.",
    reason_other: "مەركەز بىلەن سۆزلىشىڭ.",
    this_month: "بۇ ئاي",
    last_month: "ئۆتكەن ئاي",
    six_months: "ئالتە ئاي",
    balance: "مەركەز سىزگە بېرىدىغان پۇل",
    paid_to_you: "سىزگە بېرىلگەن پۇل",
    your_orders: "زاكازلار",
    sign_out: "چىقىش",
    language: "تىل",
};

pub const ZH: SellerTexts = SellerTexts {
    title: "巴扎 · 卖家",
    loading: "加载中…",
    error_network: "没有网络。请重试。",
    error_server: "出错了。请重试。",
    retry: "重试",
    scan_card: "用手机相机扫描钥匙卡上的二维码。",
    card_not_working: "这张卡不能用了。请到服务中心领新卡。",
    signing_in: "正在登录…",
    hear: "听",
    home: "首页",
    my_products: "我的商品",
    to_prepare: "要准备的货",
    my_money: "我的钱",
    nothing_to_prepare: "现在没有要准备的货。",
    in_orders: "{n} 个订单",
    since: "下单日期",
    no_products: "还没有商品。",
    status_pending: "服务中心正在审核",
    status_live: "正在店里卖",
    status_rejected: "被退回",
    status_draft: "还没有发送",
    reason_photo_unclear: "照片看不清。请在亮处重拍。",
    reason_price_too_high: "价格太高。",
    reason_price_too_low: "价格太低。",
    reason_not_sold: "这个不能在这里卖。",
    reason_other: "请和服务中心联系。",
    this_month: "这个月",
    last_month: "上个月",
    six_months: "六个月",
    balance: "服务中心还要付给你",
    paid_to_you: "已经付给你",
    your_orders: "订单",
    sign_out: "退出",
    language: "语言",
};

pub const EN: SellerTexts = SellerTexts {
    title: "Bazar · Sell",
    loading: "Loading…",
    error_network: "No network. Try again.",
    error_server: "Something went wrong. Try again.",
    retry: "Try again",
    scan_card: "Scan the code on your key card with the phone's camera.",
    card_not_working: "This card does not work. Get a new one at the center.",
    signing_in: "Signing in…",
    hear: "Hear",
    home: "Home",
    my_products: "My products",
    to_prepare: "To prepare",
    my_money: "My money",
    nothing_to_prepare: "Nothing to prepare now.",
    in_orders: "{n} orders",
    since: "Ordered on",
    no_products: "No products yet.",
    status_pending: "The center is checking it",
    status_live: "Selling in the shop",
    status_rejected: "Sent back",
    status_draft: "Not sent yet",
    reason_photo_unclear: "The photo is unclear. Take it again in the light.",
    reason_price_too_high: "The price is too high.",
    reason_price_too_low: "The price is too low.",
    reason_not_sold: "This can't be sold here.",
    reason_other: "Please talk to the center.",
    this_month: "This month",
    last_month: "Last month",
    six_months: "Six months",
    balance: "The center still owes you",
    paid_to_you: "Paid to you",
    your_orders: "Orders",
    sign_out: "Sign out",
    language: "Language",
};

pub fn texts(locale: Locale) -> &'static SellerTexts {
    match locale {
        Locale::Ug => &UG,
        Locale::ZhHans => &ZH,
        Locale::En => &EN,
    }
}

/// A seller text that follows the reader's language.
pub fn st(pick: fn(&'static SellerTexts) -> &'static str) -> Signal<&'static str> {
    let i18n = use_i18n();
    Signal::derive(move || pick(texts(i18n.locale())))
}

impl SellerTexts {
    pub fn reason(&self, reason: bazar_api::center::RejectReason) -> &'static str {
        use bazar_api::center::RejectReason::*;
        match reason {
            PhotoUnclear => self.reason_photo_unclear,
            PriceTooHigh => self.reason_price_too_high,
            PriceTooLow => self.reason_price_too_low,
            NotSold => self.reason_not_sold,
            Other => self.reason_other,
        }
    }

    pub fn listing_status(&self, status: bazar_api::center::ListingStatus) -> &'static str {
        use bazar_api::center::ListingStatus::*;
        match status {
            Pending => self.status_pending,
            Live => self.status_live,
            Rejected => self.status_rejected,
            Draft => self.status_draft,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seller_text_is_present_in_every_language() {
        let reference = UG.entries();
        for texts in [&UG, &ZH, &EN] {
            let entries = texts.entries();
            assert_eq!(entries.len(), reference.len());
            for ((key, text), (_, ug)) in entries.into_iter().zip(reference.iter()) {
                assert!(!text.trim().is_empty(), "{key} is empty");
                assert_eq!(text.contains("{n}"), ug.contains("{n}"), "{key} placeholders");
            }
        }
    }
}
