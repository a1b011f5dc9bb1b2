// Draws the CitiStat charts and the hotspot map from the page's embedded data.
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  new Chart(document.getElementById("trend"), {
    type: "line",
    data: { labels: data.labels, datasets: [
      { label: "Opened", data: data.opened, borderColor: "#0b5cad" },
      { label: "Closed", data: data.closed, borderColor: "#2da44e" },
    ] },
    options: { animation: false },
  });
  new Chart(document.getElementById("backlog"), {
    type: "bar",
    data: { labels: data.backlog_labels, datasets: [{ label: "Open", data: data.backlog, backgroundColor: "#8a5300" }] },
    options: { animation: false },
  });
  const map = L.map("map");
  if (data.tiles) { L.tileLayer(data.tiles, { maxZoom: 19 }).addTo(map); }
  // The popup is a text node, never HTML: a service's name is data staff and importers write.
  function popup(h) {
    const text = document.createElement("span");
    text.textContent = `${h.type}: ${h.recent} in 7 days (expected ${h.expected})`;
    return text;
  }
  const shapes = data.hotspots.map((h) =>
    L.polygon(h.polygon, { color: "#b42318" }).bindPopup(popup(h)).addTo(map));
  if (shapes.length) { map.fitBounds(L.featureGroup(shapes).getBounds()); } else { map.setView([42.36, -71.06], 12); }
  document.body.dataset.chartsReady = "yes";
})();
