// Draws the call statistics charts from the page's embedded data.
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  new Chart(document.getElementById("volume"), {
    type: "bar",
    data: { labels: data.labels, datasets: [
      { label: data.names.information, data: data.information, backgroundColor: "#0b5cad" },
      { label: data.names.service, data: data.service, backgroundColor: "#2da44e" },
      { label: data.names.other, data: data.other, backgroundColor: "#8a5300" },
    ] },
    options: { animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
  });
  new Chart(document.getElementById("handle"), {
    type: "bar",
    data: { labels: data.csr_labels, datasets: [{ label: data.csr_handle_name, data: data.csr_handle, backgroundColor: "#57606a" }] },
    options: { animation: false, indexAxis: "y" },
  });
  document.body.dataset.chartsReady = "yes";
})();
