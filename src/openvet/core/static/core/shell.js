// Behaviour of the UI shell. No inline scripts: the Content-Security-Policy forbids them.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    // htmx may have pushed a new address since the page was rendered: come back to it.
    const next = target.form.querySelector("input[name=next]");
    if (next) next.value = window.location.pathname + window.location.search;
    target.form.submit();
  }
});

// Charts: any element with data-chart holds the id of a json_script with an ECharts option.
function renderCharts(root) {
  if (typeof echarts === "undefined") return;
  root.querySelectorAll("[data-chart]").forEach((element) => {
    const source = document.getElementById(element.dataset.chart);
    if (!source || element.dataset.rendered) return;
    const chart = echarts.init(element, null, { renderer: "svg" });
    const option = JSON.parse(source.textContent);
    // Respect the user's wish for less motion.
    if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) option.animation = false;
    chart.setOption(option);
    element.dataset.rendered = "1";
    window.addEventListener("resize", () => chart.resize());
  });
}
document.addEventListener("DOMContentLoaded", () => renderCharts(document));
document.addEventListener("htmx:afterSwap", (event) => renderCharts(event.target));
