// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";

  // Move focus to the error summary so screen-reader and keyboard users land on it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    document.querySelectorAll("[data-commune-lookup]").forEach(setUpCommuneLookup);
    document.querySelectorAll("select[data-skill-picker]").forEach(setUpSkillPicker);
    document.querySelectorAll("[data-progress]").forEach(followProgress);
    document.querySelectorAll("select#periode").forEach(showPeriodFields);
  });

  // Dashboard filters: without JavaScript every period field shows; with it, only those of
  // the chosen kind of period.
  function showPeriodFields(select) {
    function update() {
      select.form.querySelectorAll("[data-period]").forEach(function (field) {
        field.hidden = field.getAttribute("data-period") !== select.value;
      });
    }
    select.addEventListener("change", update);
    update();
  }

  // Work in progress (a matching round, an import): poll its status, show the stage and
  // the share done, reload the page when it is over.
  function followProgress(box) {
    var url = box.getAttribute("data-progress");
    var stage = box.querySelector("[data-progress-label]");
    var bar = box.querySelector("[data-progress-bar]");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          if (data.status !== "running" && data.status !== "queued") { window.location.reload(); return; }
          if (stage && stage.textContent !== data.label) { stage.textContent = data.label; }
          if (bar && data.percent !== null && data.percent !== undefined) { bar.value = data.percent; }
          setTimeout(poll, 1500);
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    setTimeout(poll, 1000);
  }

  // A search box above each skill list: it narrows the options to the skills whose label
  // or synonyms match (searched by the server, accents and case ignored).
  function setUpSkillPicker(select) {
    var all = Array.prototype.slice.call(select.querySelectorAll("option, optgroup"));
    var original = select.innerHTML;
    var input = document.createElement("input");
    input.type = "search";
    input.className = "skill-search";
    input.setAttribute("aria-label", document.documentElement.lang === "en" ? "Search a skill" : "Rechercher une compétence");
    input.setAttribute("placeholder", document.documentElement.lang === "en" ? "Search…" : "Rechercher…");
    select.parentNode.insertBefore(input, select);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var query = input.value.trim();
        var selected = select.value;
        if (query.length < 2) { select.innerHTML = original; select.value = selected; return; }
        fetch("/api/competences?q=" + encodeURIComponent(query), { headers: { "Accept": "application/json" } })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            select.innerHTML = "";
            var keep = document.createElement("option");
            keep.value = "";
            keep.textContent = "—";
            select.appendChild(keep);
            (data.competences || []).forEach(function (skill) {
              var option = document.createElement("option");
              option.value = String(skill.id);
              option.textContent = skill.libelle;
              select.appendChild(option);
            });
            if (data.competences && data.competences.length) { select.value = String(data.competences[0].id); }
          })
          .catch(function () { select.innerHTML = original; select.value = selected; });
      }, 250);
    });
    return all;
  }

  // Fill the commune list from the postal code (several communes may share one).
  function setUpCommuneLookup(container) {
    var postal = container.querySelector("input");
    var select = container.querySelector("select");
    var url = container.getAttribute("data-url");
    if (!postal || !select || !url) { return; }
    var last = null;
    function refresh() {
      var code = postal.value.replace(/\s/g, "");
      if (code === last) { return; }
      last = code;
      if (!/^\d{5}$/.test(code)) { return; }
      fetch(url + "?code_postal=" + encodeURIComponent(code), { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var previous = select.value;
          select.innerHTML = "";
          (data.communes || []).forEach(function (commune) {
            var option = document.createElement("option");
            option.value = commune.insee;
            option.textContent = commune.nom;
            if (commune.insee === previous) { option.selected = true; }
            select.appendChild(option);
          });
        })
        .catch(function () { /* the server re-checks on submit */ });
    }
    postal.addEventListener("input", refresh);
    postal.addEventListener("change", refresh);
  }
})();
