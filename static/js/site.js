// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";

  // Move focus to the error summary so screen-reader and keyboard users land on it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    document.querySelectorAll("[data-commune-lookup]").forEach(setUpCommuneLookup);
  });

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
