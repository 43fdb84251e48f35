// The static shell speaks the reader's language before the app arrives,
// chosen as the app's i18n::initial_locale chooses: the stored choice, else
// the first of the browser's languages the app speaks, else the page's own.
// The texts are the app's own, in the page's JSON script #shell-texts; tests
// keep them equal. A template with data-paths="/a /b" holds the first screen
// of those addresses (a lesson's practice screen); it takes the place of the
// page's main element.
// Trunk writes this file into the page, so it runs before the first paint.
(function () {
  var data = document.getElementById("shell-texts");
  if (!data) return;
  var texts = JSON.parse(data.textContent);
  var root = document.documentElement;
  var own = root.lang.split("-")[0];
  var speaks = function (tag) {
    var primary = String(tag || "").split(/[-_]/)[0].toLowerCase();
    return texts[primary] ? primary : null;
  };
  var locale = null;
  try {
    locale = speaks(localStorage.getItem("bazar.locale"));
  } catch (e) {}
  var preferred = navigator.languages || [navigator.language];
  for (var i = 0; !locale && i < preferred.length; i++) locale = speaks(preferred[i]);
  locale = locale || own;

  var path = location.pathname.replace(/\/+$/, "");
  var screens = document.querySelectorAll("template[data-paths]");
  for (var s = 0; s < screens.length; s++) {
    if (screens[s].getAttribute("data-paths").split(" ").indexOf(path) >= 0) {
      var main = document.querySelector("#app main");
      if (main) main.parentNode.replaceChild(screens[s].content.cloneNode(true), main);
      break;
    }
  }

  root.lang = locale === "zh" ? "zh-Hans" : locale;
  root.dir = locale === "ug" ? "rtl" : "ltr";
  var marked = document.querySelectorAll("[data-t]");
  for (var j = 0; j < marked.length; j++) {
    var text = texts[locale][marked[j].getAttribute("data-t")];
    if (text) marked[j].textContent = text;
  }
  // Names people wrote (a product's), every language in the element's data-names.
  var named = document.querySelectorAll("[data-names]");
  for (var n = 0; n < named.length; n++) {
    try {
      var name = JSON.parse(named[n].getAttribute("data-names"))[locale];
      if (name) named[n].textContent = name;
    } catch (e) {}
  }
  var choice = document.querySelector("#app select[data-locale]");
  if (choice) choice.value = root.lang;
})();
