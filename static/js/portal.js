// Small enhancements only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // One menu of the navigation open at a time; a click elsewhere or Escape closes it.
  const menus = document.querySelectorAll(".nav-menu details");
  menus.forEach((menu) => {
    menu.addEventListener("toggle", () => {
      if (menu.open) menus.forEach((other) => { if (other !== menu) other.open = false; });
    });
  });
  document.addEventListener("click", (event) => {
    menus.forEach((menu) => { if (!menu.contains(event.target)) menu.open = false; });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") menus.forEach((menu) => { menu.open = false; });
  });
  // A searchable list of checkboxes (the beneficiary picker): typing hides the options that do not match, accents
  // ignored. Without JavaScript the search button asks the server instead; ticked options always stay visible.
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  document.querySelectorAll("input[data-filter-list]").forEach((input) => {
    const list = document.getElementById(input.dataset.filterList);
    if (!list) return;
    input.addEventListener("input", () => {
      const words = fold(input.value).split(/\s+/).filter(Boolean);
      list.querySelectorAll("label").forEach((label) => {
        const box = label.querySelector("input");
        const text = fold(label.textContent);
        label.hidden = !(box && box.checked) && !words.every((word) => text.includes(word));
      });
    });
  });
  // A re-rendered form's error summary (or the duplicate-name warning) takes the focus, so it is read first; its
  // links put the focus in the field.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.querySelectorAll("a[href^='#']").forEach((link) => {
      link.addEventListener("click", (event) => {
        const target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) return;
        event.preventDefault();
        target.scrollIntoView({ block: "center" });
        target.focus();
      });
    });
  }
  // Forms that delete something ask first (the text comes from the page, in the page's language).
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
