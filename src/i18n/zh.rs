//! 简体中文。

use super::Texts;

pub const TEXTS: Texts = Texts {
    shop_name: "巴扎",
    promise: "农户自家吃的食物，每一件都能追溯到农户。",
    all_products: "来自村里",
    loading: "加载中…",
    from_family: "来自",
    per_unit: "/",
    left_one: "剩 {n} 件",
    left_other: "剩 {n} 件",
    left_week_one: "本周剩 {n} 件",
    left_week_other: "本周剩 {n} 件",
    sold_out: "已售完",
    the_family: "农户",
    back: "返回",
    home: "首页",
    not_found: "页面不存在。",
    error_network: "没有网络连接，请检查网络后重试。",
    error_not_found: "没有找到。",
    error_server: "服务器出错了，请稍后重试。",
    error_bad_request: "请求无效。",
    retry: "重试",
    language: "语言",
    no_products: "暂无商品。",
};
