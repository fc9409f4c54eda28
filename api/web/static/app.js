// Search-as-you-type for tracuu's page, a progressive enhancement: the page works without it. It turns
// the search box into an ARIA 1.2 combobox listing GET /api/v1/suggest completions; when that endpoint
// fails or is missing, the box stays a plain search box.
(function () {
  "use strict";
  var input = document.getElementById("q");
  if (!input || !window.fetch || !input.form) return;
  var form = input.form;

  var list = document.createElement("ul");
  list.id = "q-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Gợi ý tìm kiếm");
  list.hidden = true;
  input.parentNode.appendChild(list);

  var live = document.createElement("div");
  live.className = "sr-only";
  live.setAttribute("role", "status");
  input.parentNode.appendChild(live);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  var active = -1, timer = 0, pending = null, items = [];

  function close() {
    list.hidden = true;
    list.textContent = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(i) {
    if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
    active = i;
    if (i < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    items[i].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", items[i].id);
  }

  function choose(text) {
    input.value = text;
    close();
    form.submit();
  }

  function show(suggestions) {
    close();
    suggestions = suggestions.filter(function (s) { return typeof s === "string" && s; }).slice(0, 8);
    if (!suggestions.length) return;
    suggestions.forEach(function (s, i) {
      var li = document.createElement("li");
      li.id = "q-opt-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = s;
      // mousedown, not click: the box keeps its focus, so blur does not close the list first.
      li.addEventListener("mousedown", function (e) {
        e.preventDefault();
        choose(s);
      });
      list.appendChild(li);
      items.push(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    live.textContent = suggestions.length + " gợi ý; dùng phím mũi tên để chọn.";
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (pending) pending.abort();
    if (q.length < 2) {
      close();
      return;
    }
    pending = window.AbortController ? new AbortController() : null;
    fetch("/api/v1/suggest?q=" + encodeURIComponent(q), {
      headers: { Accept: "application/json" },
      signal: pending ? pending.signal : undefined
    }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    }).then(function (body) {
      if (input.value.trim() !== q || document.activeElement !== input) return;
      show(body && Array.isArray(body.suggestions) ? body.suggestions : []);
    }).catch(close); // no suggestions is never an error for the reader
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 120);
  });

  input.addEventListener("keydown", function (e) {
    // Vietnamese input methods compose syllables; their keys (Enter included) are theirs until done.
    if (e.isComposing) return;
    var open = !list.hidden && items.length > 0;
    if (e.key === "ArrowDown" && open) {
      e.preventDefault();
      highlight((active + 1) % items.length);
    } else if (e.key === "ArrowUp" && open) {
      e.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (e.key === "Enter" && open && active >= 0) {
      e.preventDefault();
      choose(items[active].textContent);
    } else if (e.key === "Escape" && open) {
      e.preventDefault(); // the first Escape closes the list, the next one clears the box
      close();
    }
  });

  input.addEventListener("blur", close);
  form.addEventListener("submit", function () {
    clearTimeout(timer);
    if (pending) pending.abort();
  });
})();
