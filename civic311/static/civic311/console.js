// Keyboard habits of the console: "/" jumps to the knowledge-base search, Escape clears it, and an
// answer that arrives is brought into view. Everything else is plain forms, enhanced by htmx.
(function () {
  // A form sent back with its errors (400) replaces the panel like any answer, so the CSR sees the
  // messages beside the fields; other errors leave the screen as it was.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "400", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ];
  const search = document.getElementById("kb-q");
  document.addEventListener("keydown", function (event) {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (event.key === "/" && !typing && search) {
      event.preventDefault();
      search.focus();
      search.select();
    } else if (event.key === "Escape" && document.activeElement === search) {
      search.value = "";
      search.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "kb-answer" || event.detail.elt.id === "kb-answer") {
      const answer = document.getElementById("kb-answer");
      if (answer) { answer.scrollIntoView({ block: "nearest" }); }
    }
  });
  // The contact's last search goes with the wrap-up: a question that ended without an answer is
  // counted once, for the editors, however many times the CSR typed along the way.
  const wrap = document.getElementById("wrap-form");
  if (wrap && search) {
    wrap.addEventListener("submit", function () {
      document.getElementById("wrap-q").value = search.value;
    });
  }
  document.body.dataset.consoleReady = "yes";
})();
