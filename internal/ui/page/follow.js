// The ways to follow a team in Home Assistant: the entities MQTT
// discovery made for it, a REST sensor and the TeamTracker card to copy,
// and the team's calendar where the service has one.
import {el, copyText, hasRoute} from "./dom.js";
import {api} from "./api.js";

// slug is how Home Assistant turns a name into an entity id.
export function slug(name) {
  return String(name).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}

function copyable(id, text) {
  const pre = el("pre", {id, tabindex: "0"}, el("code", {text}));
  const note = el("span", {class: "muted", role: "status"});
  const button = el("button", {type: "button", class: "secondary", onclick: async () => {
    try {
      await copyText(text);
      note.textContent = " Copied.";
    } catch {
      note.textContent = " Select the text and copy it.";
    }
  }}, "Copy");
  return el("div", {class: "copyable"}, pre, el("p", {}, button, note));
}

export async function followBlock({id, name, health}) {
  const out = [];
  const base = `${location.protocol}//${location.host}`;
  const announced = health && health.mqtt && health.mqtt.enabled && health.mqtt.teams.includes(id);
  const s = slug(name);
  if (announced) {
    out.push(el("h3", {text: "Home Assistant entities (MQTT discovery)"}),
      el("p", {}, `The device “${name}” by sports-data, with these entities (the ids Home Assistant gives them unless renamed):`),
      el("ul", {class: "entities", id: "entities"},
        [`sensor.${s}_game`, `binary_sensor.${s}_live`, `event.${s}_game_event`].map((e) => el("li", {}, el("code", {text: e})))));
  } else {
    out.push(el("p", {class: "muted", id: "entities"}, health && health.mqtt && health.mqtt.enabled
      ? `Not announced to Home Assistant over MQTT: add ${id} to MQTT_TEAMS or to the saved teams.`
      : "MQTT discovery is off (MQTT_URL is not set); the REST sensor below works without it."));
  }

  // Every attribute the sensor has but last_update, which changes with
  // every poll and would make Home Assistant's recorder write a row each
  // time.
  const sensor = await api(`/api/v1/ha/sensor/${encodeURIComponent(id)}`).catch(() => null);
  const attrs = sensor ? Object.keys(sensor.attributes).filter((k) => k !== "last_update").sort() : [];
  const entity = `${s}_teamtracker`;
  const rest = [
    "rest:",
    `  - resource: ${base}/api/v1/ha/sensor/${id}`,
    "    scan_interval: 15",
    "    timeout: 5",
    "    sensor:",
    `      - name: "${name.replaceAll('"', "")} TeamTracker"`,
    `        unique_id: sports_data_${slug(id)}_teamtracker`,
    '        value_template: "{{ value_json.state }}"',
    '        json_attributes_path: "$.attributes"',
    "        json_attributes:",
    ...attrs.map((a) => `          - ${a}`),
  ].join("\n");
  const card = ["type: custom:teamtracker-card", `entity: sensor.${entity}`].join("\n");
  out.push(el("h3", {text: "REST sensor (TeamTracker-compatible)"}),
    el("p", {}, "Add to Home Assistant's configuration (or a package), then restart it:"),
    copyable("rest-sensor", rest),
    el("h3", {text: "Card"}),
    el("p", {}, "A dashboard card with ha-teamtracker-card installed:"),
    copyable("card-config", card));

  const ics = `/api/v1/calendar/${encodeURIComponent(id)}.ics`;
  if (hasRoute("/api/v1/calendar/")) {
    out.push(el("h3", {text: "Calendar"}), el("p", {}, el("a", {id: "calendar", href: ics, text: `${base}${ics}`}),
      " — subscribe to it in a calendar app or Home Assistant's calendar."));
  }
  return out;
}
