// The help center's light script: search-as-you-type and voting in place. Every page
// works without it: the forms post to the pages, which answer with the same state.
(function () {
  "use strict";
  var API = "/api/v1";

  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  // --- suggestions (the search box; the request form's subject) -------------------
  function articleHref(locale, slug) {
    return "/help/" + encodeURIComponent(locale) + "/articles/" + encodeURIComponent(slug);
  }

  // surface: where the suggestions are shown (data-suggest-surface, e.g. "portal"), so
  // the knowledge base counts what each place deflects
  function suggest(input, box, locale, surface) {
    var list = box.querySelector("ul");
    var latest = 0;
    var update = debounce(function () {
      var q = input.value.trim();
      var asked = ++latest;
      if (!q) { box.hidden = true; return; }
      var params = { q: q, locale: locale };
      if (surface) params.surface = surface;
      fetch(API + "/kb/suggest?" + new URLSearchParams(params), {
        headers: { Accept: "application/json" }, credentials: "same-origin"
      }).then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) {
          if (asked !== latest) return;  // a later keystroke's answer wins
          var items = Array.isArray(data) ? data : (data.items || []);
          list.textContent = "";
          items.forEach(function (item) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = articleHref(item.locale || locale, item.slug) +
              // opening a recorded suggestion tells the deflection report it was read
              (item.suggestion_id ? "?suggestion=" + encodeURIComponent(item.suggestion_id) : "");
            var title = document.createElement("strong");
            title.textContent = item.title;
            a.appendChild(title);
            if (item.snippet) {
              var snippet = document.createElement("span");
              // the search's snippets are escaped text with <mark> only
              snippet.innerHTML = item.snippet;
              a.appendChild(snippet);
            }
            li.appendChild(a);
            list.appendChild(li);
          });
          box.hidden = items.length === 0;
        })
        .catch(function () { box.hidden = true; });
    }, 120);
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") box.hidden = true;
      if (event.key === "ArrowDown" && !box.hidden) {
        var first = list.querySelector("a");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
    list.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at < links.length - 1) { event.preventDefault(); links[at + 1].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
      if (event.key === "Escape") { box.hidden = true; input.focus(); }
    });
  }

  document.querySelectorAll("[data-suggest], [data-suggest-subject]").forEach(function (input) {
    var box = document.getElementById(input.getAttribute("aria-controls"));
    if (box) {
      suggest(input, box, input.dataset.suggest || input.dataset.suggestSubject,
              input.dataset.suggestSurface);
    }
  });

  // --- "Was this helpful?" ------------------------------------------------------------
  var section = document.getElementById("feedback");
  if (!section) return;
  var articleId = section.dataset.article;
  var voteForm = section.querySelector(".feedback__vote");
  var commentForm = section.querySelector(".feedback__comment");
  var token = voteForm.querySelector("[name=view_token]").value;
  var trap = voteForm.querySelector("[name=website]");

  function show(vote, error) {
    section.dataset.vote = vote;
    section.querySelectorAll("[data-when]").forEach(function (el) {
      var when = el.dataset.when;
      if (when === "error") el.hidden = !error;
      else if (when === "voted") el.hidden = !vote;
      else if (when === "yes" || when === "no") el.hidden = when !== vote;
    });
    voteForm.querySelectorAll("button[name=helpful]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.value === vote));
    });
  }

  function counts(answer) {
    var el = section.querySelector(".feedback__counts");
    var total = answer.helpful_count + answer.not_helpful_count;
    el.textContent = section.dataset.counts
      .replace("{helpful}", answer.helpful_count).replace("{total}", total);
    el.hidden = total === 0;
  }

  function send(helpful, comment) {
    var body = { helpful: helpful, view_token: token, website: trap.value || null };
    if (!helpful && comment) body.comment = comment;
    return fetch(API + "/kb/articles/" + articleId + "/feedback", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    });
  }

  voteForm.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || button.name !== "helpful") return;
    event.preventDefault();
    var helpful = button.value === "yes";
    var comment = helpful ? null : commentForm.querySelector("textarea").value.trim();
    send(helpful, comment).then(function (answer) {
      counts(answer);
      show(helpful ? "yes" : "no", false);
      if (!helpful) commentForm.querySelector("textarea").focus();
    }).catch(function () { show(section.dataset.vote, true); });
  });

  commentForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var saved = commentForm.querySelector("[data-when=comment-saved]");
    send(false, commentForm.querySelector("textarea").value.trim()).then(function (answer) {
      counts(answer);
      show("no", false);
      saved.hidden = false;
    }).catch(function () { show(section.dataset.vote, true); });
  });
})();
