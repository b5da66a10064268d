// The score sheet's running total while the member types. Without JavaScript the page shows the saved total
// and the confirmation page, before submission, shows the total of what was typed.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-running-total]");
  const output = form && form.querySelector("output[data-total]");
  if (!output) return;
  const inputs = form.querySelectorAll("input[data-max]");
  // "7,5" and "7.5" both mean 7.5 (portal.core.widgets.DecimalCommaField), with at most two decimals as the form
  // takes them; anything else counts as nothing.
  const value = (input) => {
    const text = input.value.trim().replace(/\s/g, "").replace(",", ".");
    if (!/^\d+(\.\d{1,2})?$/.test(text)) return 0;
    const points = Number(text);
    return points <= Number(input.dataset.max) ? points : 0;
  };
  const update = () => {
    // Hundredths as integers, so that 0,1 + 0,2 reads 0,3.
    const hundredths = Array.from(inputs).reduce((sum, input) => sum + Math.round(value(input) * 100), 0);
    // As the page writes totals (floatformat:"-2"): 25 or 25,50.
    const decimals = hundredths % 100 ? 2 : 0;
    output.value = (hundredths / 100).toLocaleString("vi-VN", {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
  };
  inputs.forEach((input) => input.addEventListener("input", update));
  update();
});
