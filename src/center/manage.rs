//! Running the hub from the screens: the platform admin's hubs, the hub's
//! staff accounts, its delivery zones and the audit log of every change.
//! The forms mark their fields with the rules of `bazar_api::manage` before
//! sending, and with the server's answer after.

use bazar_api::account::Role;
use bazar_api::center::Listing;
use bazar_api::manage::{AuditEntry, Hub, NewPassword, NewStaff, ProductEdit, StaffMember, WorkIn, ZoneForm};
use bazar_api::{Fen, FieldError, Localized};
use leptos::prelude::*;

use super::texts::{CenterTexts, ct, texts};
use super::{Operator, show};
use crate::api::{self, FetchError};
use crate::i18n::use_i18n;

/// A form's errors: the fields the rules or the server refused, or a
/// failed call.
#[derive(Clone, Copy)]
pub struct Problems {
    pub fields: RwSignal<Vec<FieldError>>,
    pub call: RwSignal<Option<FetchError>>,
}

impl Problems {
    pub fn new() -> Problems {
        Problems {
            fields: RwSignal::new(Vec::new()),
            call: RwSignal::new(None),
        }
    }

    pub fn clear(&self) {
        self.fields.set(Vec::new());
        self.call.set(None);
    }

    /// Shows what failed: the fields the server named, or the call.
    pub fn failed(&self, error: FetchError) {
        match &error {
            FetchError::Api { fields, .. } if !fields.is_empty() => self.fields.set(fields.clone()),
            _ => self.call.set(Some(error)),
        }
    }

    /// Checks a form with its rule; false (and the fields marked) when it fails.
    pub fn check(&self, rule: Result<(), Vec<FieldError>>) -> bool {
        self.clear();
        match rule {
            Ok(()) => true,
            Err(fields) => {
                self.fields.set(fields);
                false
            }
        }
    }
}

/// The message of a failed call, in the reader's language.
#[component]
pub fn CallError(problems: Problems) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        problems
            .call
            .get()
            .map(|e| view! { <p class="form-error" role="alert">{texts(i18n.locale()).error(&e)}</p> })
    }
}

/// A labelled text input bound to `value`, showing what is wrong with the
/// field `name` (its name in the request body, e.g. `names.zh`).
#[component]
pub fn Field(
    label: fn(&CenterTexts) -> &'static str,
    name: &'static str,
    value: RwSignal<String>,
    problems: Problems,
    #[prop(default = "auto")] dir: &'static str,
    #[prop(default = "text")] kind: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let wrong = move || {
        problems
            .fields
            .with(|f| f.iter().find(|e| e.field == name).map(|e| e.code.clone()))
    };
    view! {
        <label class="field">
            <span>{ct(label)}</span>
            <input name=name type=kind dir=dir autocomplete="off" aria-invalid=move || wrong().is_some().to_string()
                prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
            {move || wrong().map(|code| view! {
                <span class="field-error" role="alert">{texts(i18n.locale()).field_error(&code)}</span>
            })}
        </label>
    }
}

/// Text in the three languages, as three inputs.
#[derive(Clone, Copy)]
pub struct Trio {
    ug: RwSignal<String>,
    zh: RwSignal<String>,
    en: RwSignal<String>,
}

impl Trio {
    pub fn new() -> Trio {
        Trio {
            ug: RwSignal::new(String::new()),
            zh: RwSignal::new(String::new()),
            en: RwSignal::new(String::new()),
        }
    }

    pub fn get(&self) -> Localized {
        Localized {
            ug: self.ug.get_untracked(),
            zh: self.zh.get_untracked(),
            en: self.en.get_untracked(),
        }
    }

    pub fn set(&self, value: &Localized) {
        self.ug.set(value.ug.clone());
        self.zh.set(value.zh.clone());
        self.en.set(value.en.clone());
    }

    /// The three inputs, labelled and named `{prefix}.ug` ...
    pub fn fields(
        self,
        prefix: &'static str,
        labels: [fn(&CenterTexts) -> &'static str; 3],
        problems: Problems,
    ) -> impl IntoView {
        let names: [&'static str; 3] = match prefix {
            "village" => ["village.ug", "village.zh", "village.en"],
            "unit" => ["unit.ug", "unit.zh", "unit.en"],
            "story" => ["story.ug", "story.zh", "story.en"],
            _ => ["names.ug", "names.zh", "names.en"],
        };
        view! {
            <Field label=labels[0] name=names[0] value=self.ug problems=problems dir="rtl" />
            <Field label=labels[1] name=names[1] value=self.zh problems=problems />
            <Field label=labels[2] name=names[2] value=self.en problems=problems dir="ltr" />
        }
    }
}

pub const NAME_LABELS: [fn(&CenterTexts) -> &'static str; 3] = [|t| t.name_ug, |t| t.name_zh, |t| t.name_en];

/// A number people typed; out of range when it isn't one.
fn count_of(text: &str) -> u32 {
    text.trim().parse().unwrap_or(u32::MAX)
}

/// A new password, shown this once.
#[component]
fn PasswordOnce(shown: RwSignal<Option<NewPassword>>) -> impl IntoView {
    move || {
        shown.get().map(|p| {
            view! {
                <p class="notice" role="status" data-testid="new-password">
                    {ct(|t| t.password_once)} " " <b dir="ltr">{p.username}</b> " "
                    <code dir="ltr" class="code">{p.password}</code>
                </p>
            }
        })
    }
}

/// The admin's hubs: every hub with its families and operators; a new hub;
/// a hub's operator; working in a hub; disabling one.
#[component]
pub fn Hubs() -> impl IntoView {
    let me = expect_context::<super::MeResource>().0;
    let hubs = api::json_resource(Signal::derive(|| Some(crate::urls::ADMIN_HUBS.to_string())));
    let problems = Problems::new();
    let password = RwSignal::new(None::<NewPassword>);
    let slug = RwSignal::new(String::new());
    let names = Trio::new();
    let address = RwSignal::new(String::new());
    let fee = RwSignal::new("8".to_string());
    let (payee, bank, account) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fee_bp = fee
            .get_untracked()
            .trim()
            .parse::<f64>()
            .map(|p| (p * 100.0).round())
            .unwrap_or(-1.0);
        let hub = Hub {
            slug: slug.get_untracked().trim().to_string(),
            names: names.get(),
            address: address.get_untracked(),
            fee_bp: if (0.0..=1e6).contains(&fee_bp) {
                fee_bp as u32
            } else {
                u32::MAX
            },
            bank_payee: payee.get_untracked(),
            bank_name: bank.get_untracked(),
            bank_account: account.get_untracked(),
            ..Hub::default()
        };
        if !problems.check(hub.validate()) {
            return;
        }
        leptos::task::spawn_local(async move {
            match api::post::<_, Hub>(crate::urls::ADMIN_HUBS, &hub).await {
                Ok(_) => {
                    for field in [slug, address, payee, bank, account] {
                        field.set(String::new());
                    }
                    names.set(&Localized::default());
                    hubs.refetch();
                }
                Err(e) => problems.failed(e),
            }
        });
    };
    // `operator`: the username of a new operator (action `operators`).
    let act = move |slug: String, action: &'static str, operator: RwSignal<String>| {
        leptos::task::spawn_local(async move {
            let result = match action {
                "work" => {
                    api::post::<_, bazar_api::account::Me>(crate::urls::ADMIN_WORK_IN, &WorkIn { slug })
                        .await
                        .map(|_| me.refetch())
                }
                "operators" => {
                    let staff = NewStaff {
                        username: operator.get_untracked().trim().to_string(),
                        role: Role::Operator,
                    };
                    if !problems.check(staff.validate()) {
                        return;
                    }
                    api::post::<_, NewPassword>(&crate::urls::admin_hub(&slug, action), &staff)
                        .await
                        .map(|p| {
                            operator.set(String::new());
                            password.set(Some(p));
                        })
                }
                _ => api::send(
                    api::Method::POST,
                    &crate::urls::admin_hub(&slug, action),
                    Some(&()),
                )
                .await
                .map(|_| ()),
            };
            match result {
                Ok(()) => hubs.refetch(),
                Err(e) => problems.failed(e),
            }
        });
    };
    view! {
        <main class="page wide">
            <h1 class="section-title">{ct(|t| t.hubs_title)}</h1>
            <PasswordOnce shown=password />
            <CallError problems=problems />
            {show(hubs, move |list: Vec<Hub>| view! {
                <table class="data-table" data-testid="hubs">
                    <thead><tr>
                        <th>{ct(|t| t.name_zh)}</th><th>{ct(|t| t.families_title)}</th><th>{ct(|t| t.operators)}</th><th></th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|h| {
                            let (s1, s2, s3) = (h.slug.clone(), h.slug.clone(), h.slug.clone());
                            let disabled = h.disabled;
                            let operator = RwSignal::new(String::new());
                            view! {
                                <tr data-hub=h.slug.clone()>
                                    <td><span lang="zh-Hans">{h.names.zh.clone()}</span><br />
                                        <span lang="ug" dir="rtl">{h.names.ug.clone()}</span> " "
                                        <bdi dir="ltr" class="code">{h.slug.clone()}</bdi>
                                        {disabled.then(|| view! { " " <b>{ct(|t| t.disabled)}</b> })}</td>
                                    <td>{h.families}</td>
                                    <td>{h.operators}</td>
                                    <td class="actions">
                                        <button type="button" class="button primary" data-testid="work-here" on:click=move |_| act(s1.clone(), "work", operator)>{ct(|t| t.work_here)}</button>
                                        <label class="field inline">
                                            <span>{ct(|t| t.username)}</span>
                                            <input name="operator" dir="ltr" autocomplete="off" prop:value=operator
                                                on:input=move |ev| operator.set(event_target_value(&ev)) />
                                        </label>
                                        <button type="button" class="button" data-testid="add-operator" on:click=move |_| act(s2.clone(), "operators", operator)>{ct(|t| t.add_operator)}</button>
                                        <button type="button" class="button quiet" on:click=move |_| act(s3.clone(), if disabled { "enable" } else { "disable" }, operator)>
                                            {move || if disabled { ct(|t| t.enable).get() } else { ct(|t| t.disable).get() }}
                                        </button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <h2 class="section-title">{ct(|t| t.new_hub)}</h2>
            <form class="form" on:submit=create data-testid="new-hub">
                <Field label=|t| t.hub_slug name="slug" value=slug problems=problems dir="ltr" />
                {names.fields("names", NAME_LABELS, problems)}
                <Field label=|t| t.hub_address name="address" value=address problems=problems />
                <Field label=|t| t.fee_percent name="fee_bp" value=fee problems=problems dir="ltr" kind="number" />
                <Field label=|t| t.bank_payee name="bank_payee" value=payee problems=problems />
                <Field label=|t| t.bank_name name="bank_name" value=bank problems=problems />
                <Field label=|t| t.bank_account name="bank_account" value=account problems=problems dir="ltr" />
                <button type="submit" class="button primary">{ct(|t| t.create)}</button>
            </form>
        </main>
    }
}

/// The hub's staff accounts: add one (its password shown once), reset a
/// password, disable or enable an account.
#[component]
pub fn Staff() -> impl IntoView {
    let staff = api::json_resource(Signal::derive(|| Some(crate::urls::CENTER_STAFF.to_string())));
    let problems = Problems::new();
    let password = RwSignal::new(None::<NewPassword>);
    let username = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Trainer);
    let me = use_context::<Operator>().map(|o| o.0.name).unwrap_or_default();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = NewStaff {
            username: username.get_untracked().trim().to_string(),
            role: role.get_untracked(),
        };
        if !problems.check(body.validate()) {
            return;
        }
        leptos::task::spawn_local(async move {
            match api::post::<_, NewPassword>(crate::urls::CENTER_STAFF, &body).await {
                Ok(p) => {
                    username.set(String::new());
                    password.set(Some(p));
                    staff.refetch();
                }
                Err(e) => problems.failed(e),
            }
        });
    };
    let act = move |id: i64, action: &'static str| {
        problems.clear();
        leptos::task::spawn_local(async move {
            let url = crate::urls::staff_member(id, action);
            let result = if action == "password" {
                api::post::<_, NewPassword>(&url, &())
                    .await
                    .map(|p| password.set(Some(p)))
            } else {
                api::send(api::Method::POST, &url, Some(&())).await.map(|_| ())
            };
            match result {
                Ok(()) => staff.refetch(),
                Err(e) => problems.failed(e),
            }
        });
    };
    let i18n = use_i18n();
    view! {
        <main class="page wide">
            <h1 class="section-title">{ct(|t| t.staff_title)}</h1>
            <PasswordOnce shown=password />
            <CallError problems=problems />
            {show(staff, move |list: Vec<StaffMember>| view! {
                <table class="data-table" data-testid="staff">
                    <tbody>
                        {list.into_iter().map(|s| {
                            let role = s.role;
                            let at = s.created_at.clone();
                            let disabled = s.disabled;
                            let own = s.username == me;
                            view! {
                                <tr data-staff=s.username.clone()>
                                    <td><bdi dir="ltr">{s.username.clone()}</bdi>
                                        {disabled.then(|| view! { " " <b>{ct(|t| t.disabled)}</b> })}</td>
                                    <td>{move || if role == Role::Operator { texts(i18n.locale()).role_operator } else { texts(i18n.locale()).role_trainer }}</td>
                                    <td>{move || i18n.locale().moment(&at)}</td>
                                    <td class="actions">
                                        <button type="button" class="button" data-testid="reset-password" on:click=move |_| act(s.id, "password")>{ct(|t| t.reset_password)}</button>
                                        {(!own).then(|| view! {
                                            <button type="button" class="button quiet" data-testid="toggle-staff" on:click=move |_| act(s.id, if disabled { "enable" } else { "disable" })>
                                                {move || if disabled { ct(|t| t.enable).get() } else { ct(|t| t.disable).get() }}
                                            </button>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <h2 class="section-title">{ct(|t| t.add_staff)}</h2>
            <form class="form" on:submit=add data-testid="add-staff">
                <Field label=|t| t.username name="username" value=username problems=problems dir="ltr" />
                <label class="field">
                    <span>{ct(|t| t.role)}</span>
                    <select name="role" on:change=move |ev| role.set(if event_target_value(&ev) == "operator" { Role::Operator } else { Role::Trainer })>
                        <option value="trainer">{ct(|t| t.role_trainer)}</option>
                        <option value="operator">{ct(|t| t.role_operator)}</option>
                    </select>
                </label>
                <button type="submit" class="button primary">{ct(|t| t.add_staff)}</button>
            </form>
        </main>
    }
}

/// The hub's delivery zones and their fees: add, change, retire. Orders
/// placed keep the fee they paid.
#[component]
pub fn Zones() -> impl IntoView {
    let zones = api::json_resource(Signal::derive(|| Some(crate::urls::CENTER_ZONES.to_string())));
    let problems = Problems::new();
    let editing = RwSignal::new(None::<i64>);
    let names = Trio::new();
    let fee = RwSignal::new(String::new());
    let (min, max) = (RwSignal::new("2".to_string()), RwSignal::new("4".to_string()));
    let edit = move |z: &ZoneForm| {
        editing.set(Some(z.id));
        names.set(&z.names);
        let (yuan, fen) = z.shipping_fen.yuan_and_fen();
        fee.set(format!("{yuan}.{fen:02}"));
        min.set(z.days_min.to_string());
        max.set(z.days_max.to_string());
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let zone = ZoneForm {
            names: names.get(),
            shipping_fen: Fen::parse_yuan(&fee.get_untracked()).unwrap_or(Fen(-1)),
            days_min: count_of(&min.get_untracked()),
            days_max: count_of(&max.get_untracked()),
            ..ZoneForm::default()
        };
        if !problems.check(zone.validate()) {
            return;
        }
        let id = editing.get_untracked();
        leptos::task::spawn_local(async move {
            let result = match id {
                Some(id) => api::send(api::Method::PUT, &crate::urls::zone(id, None), Some(&zone))
                    .await
                    .map(|_| ()),
                None => api::post::<_, ZoneForm>(crate::urls::CENTER_ZONES, &zone)
                    .await
                    .map(|_| ()),
            };
            match result {
                Ok(()) => {
                    editing.set(None);
                    names.set(&Localized::default());
                    fee.set(String::new());
                    zones.refetch();
                }
                Err(e) => problems.failed(e),
            }
        });
    };
    let retire = move |id: i64| {
        leptos::task::spawn_local(async move {
            match api::send(
                api::Method::POST,
                &crate::urls::zone(id, Some("retire")),
                Some(&()),
            )
            .await
            {
                Ok(_) => zones.refetch(),
                Err(e) => problems.failed(e),
            }
        });
    };
    let i18n = use_i18n();
    view! {
        <main class="page wide">
            <h1 class="section-title">{ct(|t| t.zones_title)}</h1>
            <CallError problems=problems />
            {show(zones, move |list: Vec<ZoneForm>| view! {
                <table class="data-table" data-testid="zones">
                    <tbody>
                        {list.into_iter().map(|z| {
                            let shown = z.names.clone();
                            let retired = z.retired;
                            let id = z.id;
                            let fee = z.shipping_fen;
                            let days = format!("{}-{}", z.days_min, z.days_max);
                            view! {
                                <tr data-zone=id>
                                    <td>{move || shown.get(i18n.locale().lang()).to_string()}
                                        {retired.then(|| view! { " " <b>{ct(|t| t.retired)}</b> })}</td>
                                    <td>{super::money(fee)}</td>
                                    <td><bdi dir="ltr">{days}</bdi> " " {ct(|t| t.days)}</td>
                                    <td class="actions">{(!retired).then(move || view! {
                                        <button type="button" class="button" on:click=move |_| edit(&z)>{ct(|t| t.edit)}</button>
                                        <button type="button" class="button quiet" on:click=move |_| retire(id)>{ct(|t| t.retire)}</button>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <h2 class="section-title">{move || if editing.get().is_some() { ct(|t| t.edit).get() } else { ct(|t| t.new_zone).get() }}</h2>
            <form class="form" on:submit=save data-testid="zone-form">
                {names.fields("names", NAME_LABELS, problems)}
                <Field label=|t| t.shipping_yuan name="shipping_fen" value=fee problems=problems dir="ltr" />
                <Field label=|t| t.days_min name="days_min" value=min problems=problems dir="ltr" kind="number" />
                <Field label=|t| t.days_max name="days_max" value=max problems=problems dir="ltr" kind="number" />
                <button type="submit" class="button primary">{ct(|t| t.save)}</button>
            </form>
        </main>
    }
}

/// The hub's products in every state: correct one's names, unit, price
/// and count (orders placed keep their price), pause, resume or retire it.
#[component]
pub fn Products() -> impl IntoView {
    let products = api::json_resource(Signal::derive(|| Some(crate::urls::CENTER_PRODUCTS.to_string())));
    let problems = Problems::new();
    let editing = RwSignal::new(None::<i64>);
    let (names, unit) = (Trio::new(), Trio::new());
    let (price, count) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let edit = move |p: &Listing| {
        editing.set(Some(p.id));
        names.set(&p.names);
        unit.set(&p.unit);
        let (yuan, fen) = p.price_fen.yuan_and_fen();
        price.set(format!("{yuan}.{fen:02}"));
        count.set(p.quantity.to_string());
        problems.clear();
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(id) = editing.get_untracked() else { return };
        let body = ProductEdit {
            names: names.get(),
            unit: unit.get(),
            price_fen: Fen::parse_yuan(&price.get_untracked()).unwrap_or(Fen(0)),
            count: count_of(&count.get_untracked()),
        };
        if !problems.check(body.validate()) {
            return;
        }
        leptos::task::spawn_local(async move {
            match api::send(
                api::Method::PUT,
                &crate::urls::center_product(id, None),
                Some(&body),
            )
            .await
            {
                Ok(_) => {
                    editing.set(None);
                    products.refetch();
                }
                Err(e) => problems.failed(e),
            }
        });
    };
    let act = move |id: i64, action: &'static str| {
        leptos::task::spawn_local(async move {
            match api::send(
                api::Method::POST,
                &crate::urls::center_product(id, Some(action)),
                Some(&()),
            )
            .await
            {
                Ok(_) => products.refetch(),
                Err(e) => problems.failed(e),
            }
        });
    };
    let i18n = use_i18n();
    view! {
        <main class="page wide">
            <h1 class="section-title">{ct(|t| t.products_title)}</h1>
            <CallError problems=problems />
            {show(products, move |list: Vec<Listing>| view! {
                <table class="data-table" data-testid="products">
                    <tbody>
                        {list.into_iter().map(|p| {
                            let (shown, family) = (p.names.clone(), p.family_names.clone());
                            let (id, paused, retired, fee) = (p.id, p.paused, p.retired, p.price_fen);
                            let count = p.quantity;
                            let status = p.status;
                            let listed_by = p.listed_by.clone();
                            view! {
                                <tr data-product=id class:retired=retired>
                                    <td>{move || shown.get(i18n.locale().lang()).to_string()}<br />
                                        <small>{move || family.get(i18n.locale().lang()).to_string()}</small>
                                        {listed_by.map(|name| view! { <br /><small>{ct(|t| t.listed_by)} " " <bdi dir="ltr">{name}</bdi></small> })}</td>
                                    <td>{super::money(fee)}<br /><bdi dir="ltr">{count}</bdi></td>
                                    <td>{move || if retired { ct(|t| t.retired).get() } else if paused { ct(|t| t.paused).get() } else { texts(i18n.locale()).listing_status(status) }}</td>
                                    <td class="actions">{(!retired).then(move || view! {
                                        <button type="button" class="button" data-testid="edit-product" on:click=move |_| edit(&p)>{ct(|t| t.edit)}</button>
                                        <button type="button" class="button quiet" data-testid="pause-product" on:click=move |_| act(id, if paused { "resume" } else { "pause" })>
                                            {move || if paused { ct(|t| t.resume).get() } else { ct(|t| t.pause).get() }}
                                        </button>
                                        <button type="button" class="button quiet" on:click=move |_| act(id, "retire")>{ct(|t| t.retire)}</button>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {move || editing.get().is_some().then(|| view! {
                <h2 class="section-title">{ct(|t| t.edit)}</h2>
                <form class="form" on:submit=save data-testid="product-form">
                    {names.fields("names", NAME_LABELS, problems)}
                    {unit.fields("unit", [|t| t.unit_ug, |t| t.unit_zh, |t| t.unit_en], problems)}
                    <Field label=|t| t.price_yuan name="price_fen" value=price problems=problems dir="ltr" />
                    <Field label=|t| t.count_now name="count" value=count problems=problems dir="ltr" kind="number" />
                    <div class="actions">
                        <button type="submit" class="button primary">{ct(|t| t.save)}</button>
                        <button type="button" class="button quiet" on:click=move |_| editing.set(None)>{ct(|t| t.back)}</button>
                    </div>
                </form>
            })}
        </main>
    }
}

/// The hub's audit log: who changed what when, before and after; filtered
/// by person, object and day, and as CSV.
#[component]
pub fn Audit() -> impl IntoView {
    let (actor, object, day) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let url = RwSignal::new(crate::urls::audit(false, "", "", ""));
    let entries = api::json_resource(Signal::derive(move || Some(url.get())));
    let problems = Problems::new();
    let filter = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        url.set(crate::urls::audit(
            false,
            &actor.get_untracked(),
            &object.get_untracked(),
            &day.get_untracked(),
        ));
    };
    let csv = move || crate::urls::audit(true, &actor.get(), &object.get(), &day.get());
    let i18n = use_i18n();
    view! {
        <main class="page wide">
            <h1 class="section-title">{ct(|t| t.audit_title)}</h1>
            <form class="form filters" on:submit=filter>
                <Field label=|t| t.audit_actor name="actor" value=actor problems=problems dir="ltr" />
                <Field label=|t| t.audit_object name="object" value=object problems=problems dir="ltr" />
                <Field label=|t| t.audit_day name="day" value=day problems=problems dir="ltr" kind="date" />
                <button type="submit" class="button primary">{ct(|t| t.filter)}</button>
                <a class="button" href=csv download="audit.csv">{ct(|t| t.export_csv)}</a>
            </form>
            {show(entries, move |list: Vec<AuditEntry>| {
                if list.is_empty() {
                    return view! { <p class="notice">{ct(|t| t.nothing_yet)}</p> }.into_any();
                }
                view! {
                    <table class="data-table" data-testid="audit">
                        <thead><tr>
                            <th>{ct(|t| t.audit_day)}</th><th>{ct(|t| t.audit_actor)}</th><th>{ct(|t| t.audit_object)}</th>
                            <th>{ct(|t| t.audit_action)}</th><th>{ct(|t| t.audit_change)}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|e| {
                                let at = e.at.clone();
                                view! {
                                    <tr>
                                        <td>{move || i18n.locale().moment(&at)}</td>
                                        <td><bdi dir="ltr">{e.actor}</bdi></td>
                                        <td><bdi dir="ltr">{e.object}</bdi></td>
                                        <td><bdi dir="ltr">{e.action}</bdi></td>
                                        <td class="audit-change"><bdi dir="ltr">{e.old.unwrap_or_default()}</bdi>
                                            " → " <bdi dir="ltr">{e.new.unwrap_or_default()}</bdi></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            })}
        </main>
    }
}
