// The portal's maps: mark the place of a problem (and see what is already reported near it), or
// see recent requests. Everything here is an enhancement: the address field and the lists work
// without it.
(function () {
  document.documentElement.classList.add("js");
  const holder = document.getElementById("map");
  const dataNode = document.getElementById("map-data");
  if (!holder || !dataNode || typeof L === "undefined") { return; }
  const data = JSON.parse(dataNode.textContent);
  const map = L.map(holder, { keyboard: true }).setView(data.center, 15);
  if (data.tiles) { L.tileLayer(data.tiles, { maxZoom: 19 }).addTo(map); }

  (data.points || []).forEach(function (p) {
    const link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.label;
    L.circleMarker([p.lat, p.long], { radius: 6, color: "#0b5cad" }).bindPopup(link).addTo(map);
  });

  const lat = document.getElementById("id_lat");
  const long = document.getElementById("id_long");
  if (!lat || !long) { document.body.dataset.mapReady = "yes"; return; }
  let marker = null;
  function mark(latlng) {
    lat.value = latlng.lat.toFixed(6);
    long.value = latlng.lng.toFixed(6);
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    if (data.nearby_url && typeof htmx !== "undefined") {
      const url = data.nearby_url + "?lat=" + lat.value + "&long=" + long.value;
      htmx.ajax("GET", url, { target: "#nearby", swap: "innerHTML" }).then(function () {
        const seen = document.getElementById("id_seen_nearby");
        const box = document.getElementById("nearby");
        if (seen && box && box.textContent.trim()) { seen.value = "True"; }
        document.body.dataset.nearbyChecked = "yes";
      });
    }
  }
  if (lat.value && long.value) { mark(L.latLng(parseFloat(lat.value), parseFloat(long.value))); }
  map.on("click", function (event) { mark(event.latlng); });
  // Keyboard users: pan with the arrow keys, then Enter marks the map's centre.
  holder.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); mark(map.getCenter()); }
  });
  document.body.dataset.mapReady = "yes";
})();
