"use strict";
(function () {
  var doc = null;
  var METHODS = ["get", "post", "put", "patch", "delete", "head", "options"];

  // el builds DOM nodes; text always goes in as text, never as HTML.
  function el(tag, attrs) {
    var n = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") n.textContent = attrs[k];
        else n.setAttribute(k, attrs[k]);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      n.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return n;
  }

  // inline renders `code` spans and **bold** of a line of Markdown.
  function inline(text) {
    var span = el("span");
    text.split(/(`[^`]*`|\*\*[^*]+\*\*)/).forEach(function (part) {
      if (/^`[^`]*`$/.test(part)) span.appendChild(el("code", { text: part.slice(1, -1) }));
      else if (/^\*\*[^*]+\*\*$/.test(part)) span.appendChild(el("strong", { text: part.slice(2, -2) }));
      else if (part) span.appendChild(document.createTextNode(part));
    });
    return span;
  }

  // markdown renders the little Markdown descriptions use: paragraphs,
  // lists and tables.
  function markdown(text) {
    var box = el("div", { "class": "md" });
    if (!text) return box;
    text.replace(/\r/g, "").split(/\n\s*\n/).forEach(function (block) {
      var lines = block.split("\n").filter(function (l) { return l.trim() !== ""; });
      if (!lines.length) return;
      if (lines.every(function (l) { return /^\s*\|/.test(l); })) {
        var table = el("table");
        lines.forEach(function (l, i) {
          if (/^\s*\|[\s|:-]+\|\s*$/.test(l)) return;
          var cells = l.trim().replace(/^\||\|$/g, "").split("|");
          var tr = el("tr");
          cells.forEach(function (c) { tr.appendChild(el(i === 0 ? "th" : "td", null, inline(c.trim()))); });
          table.appendChild(tr);
        });
        box.appendChild(table);
      } else if (lines.every(function (l) { return /^\s*- /.test(l); })) {
        var ul = el("ul");
        lines.forEach(function (l) { ul.appendChild(el("li", null, inline(l.replace(/^\s*- /, "")))); });
        box.appendChild(ul);
      } else {
        box.appendChild(el("p", null, inline(lines.join(" "))));
      }
    });
    return box;
  }

  // resolve follows a local $ref ("#/components/schemas/Game").
  function resolve(obj) {
    var seen = 0;
    while (obj && obj.$ref && seen++ < 20) {
      var parts = obj.$ref.replace(/^#\//, "").split("/");
      var cur = doc;
      for (var i = 0; i < parts.length && cur; i++) cur = cur[parts[i].replace(/~1/g, "/").replace(/~0/g, "~")];
      obj = cur;
    }
    return obj || {};
  }

  function refName(ref) { return ref.split("/").pop(); }

  function schemaLink(ref) {
    var name = refName(ref);
    return el("a", { href: "#schema-" + name, text: name });
  }

  // typeOf describes a schema in one line, linking named schemas.
  function typeOf(s) {
    var out = el("span", { "class": "type" });
    if (!s) { out.textContent = "any"; return out; }
    if (s.$ref) { out.appendChild(schemaLink(s.$ref)); return out; }
    if (s.allOf && s.allOf.length === 1) {
      out.appendChild(typeOf(s.allOf[0]));
    } else if (s.oneOf || s.anyOf || (s.allOf && s.allOf.length > 1)) {
      var list = s.oneOf || s.anyOf || s.allOf;
      list.forEach(function (x, i) {
        if (i) out.appendChild(document.createTextNode(s.allOf ? " & " : " | "));
        out.appendChild(typeOf(x));
      });
    } else if (s.type === "array") {
      out.appendChild(document.createTextNode("array of "));
      out.appendChild(typeOf(s.items));
    } else if (s.type === "object" && !s.properties && s.additionalProperties) {
      out.appendChild(document.createTextNode("map of string → "));
      out.appendChild(typeOf(s.additionalProperties === true ? null : s.additionalProperties));
    } else {
      out.appendChild(document.createTextNode((s.type || "any") + (s.format ? " (" + s.format + ")" : "")));
    }
    if (s.nullable) out.appendChild(document.createTextNode(" | null"));
    return out;
  }

  function constraints(s) {
    s = s || {};
    var c = [];
    if (s.enum) c.push("one of " + s.enum.map(function (v) { return v === null ? "null" : String(v); }).join(", "));
    if (s.minimum !== undefined && s.maximum !== undefined) c.push(s.minimum + " … " + s.maximum);
    else if (s.minimum !== undefined) c.push("≥ " + s.minimum);
    else if (s.maximum !== undefined) c.push("≤ " + s.maximum);
    if (s.minLength !== undefined) c.push("length ≥ " + s.minLength);
    if (s.maxLength !== undefined) c.push("length ≤ " + s.maxLength);
    if (s.pattern) c.push("pattern " + s.pattern);
    if (s.default !== undefined) c.push("default " + JSON.stringify(s.default));
    if (s.example !== undefined) c.push("e.g. " + (typeof s.example === "string" ? s.example : JSON.stringify(s.example)));
    return c.length ? el("div", { "class": "constraints", text: c.join(" · ") }) : null;
  }

  // describe is a schema's own description or that of its single allOf.
  function describe(s) {
    if (!s) return "";
    if (s.description) return s.description;
    if (s.allOf && s.allOf.length === 1) return resolve(s.allOf[0]).description || "";
    return "";
  }

  function propertyTable(s) {
    var props = s.properties || {};
    var required = s.required || [];
    var table = el("table", null, el("tr", null, el("th", { text: "field" }), el("th", { text: "type" }), el("th", { text: "" })));
    Object.keys(props).forEach(function (name) {
      var p = props[name];
      table.appendChild(el("tr", null,
        el("td", null, el("code", { text: name }), required.indexOf(name) >= 0 ? el("span", { "class": "req", text: " required" }) : null),
        el("td", null, typeOf(p)),
        el("td", null, markdown(describe(p)), constraints(p))));
    });
    if (s.additionalProperties && typeof s.additionalProperties === "object") {
      table.appendChild(el("tr", null, el("td", null, el("em", { text: "other keys" })), el("td", null, typeOf(s.additionalProperties)), el("td")));
    }
    return table;
  }

  // schemaBlock shows a body schema: a link for named ones, a table for
  // inline objects.
  function schemaBlock(s) {
    if (s && !s.$ref && s.type === "object" && s.properties) return propertyTable(s);
    return el("div", null, typeOf(s), constraints(s));
  }

  function contentBlock(content) {
    var box = el("div");
    Object.keys(content || {}).forEach(function (type) {
      box.appendChild(el("div", null, el("code", { text: type }), " "));
      box.appendChild(schemaBlock(content[type].schema));
    });
    return box;
  }

  function parametersTable(params) {
    var table = el("table", null, el("tr", null, el("th", { text: "name" }), el("th", { text: "in" }), el("th", { text: "type" }), el("th", { text: "" })));
    params.forEach(function (raw) {
      var p = resolve(raw);
      table.appendChild(el("tr", null,
        el("td", null, el("code", { text: p.name }), p.required ? el("span", { "class": "req", text: " required" }) : null),
        el("td", { text: p["in"] }),
        el("td", null, typeOf(p.schema)),
        el("td", null, markdown(p.description), constraints(p.schema))));
    });
    return table;
  }

  function responsesTable(responses) {
    var table = el("table", null, el("tr", null, el("th", { text: "status" }), el("th", { text: "" }), el("th", { text: "body" })));
    Object.keys(responses || {}).forEach(function (code) {
      var r = resolve(responses[code]);
      var headers = el("div");
      Object.keys(r.headers || {}).forEach(function (h) {
        var hd = resolve(r.headers[h]);
        headers.appendChild(el("div", { "class": "constraints" }, "header ", el("code", { text: h }), " ", typeOf(hd.schema)));
      });
      table.appendChild(el("tr", null,
        el("td", { "class": "status s" + code.charAt(0), text: code }),
        el("td", null, markdown(r.description), headers),
        el("td", null, contentBlock(r.content))));
    });
    return table;
  }

  function secured(op) {
    var sec = op.security || doc.security || [];
    return sec.some(function (req) { return Object.keys(req).length > 0; });
  }

  function operationCard(path, method, op) {
    var id = "op-" + (op.operationId || method + path);
    var card = el("article", { "class": "op", id: id, "data-search": (method + " " + path + " " + (op.summary || "") + " " + (op.operationId || "")).toLowerCase() },
      el("h3", null, el("span", { "class": "method m-" + method, text: method }), el("span", { "class": "path", text: path }),
        el("span", { "class": "summary", text: op.summary || "" }),
        secured(op) ? el("span", { "class": "lock", text: "needs the API key when API_KEY is set" }) : null));
    if (op.description) card.appendChild(markdown(op.description));
    var params = (doc.paths[path].parameters || []).concat(op.parameters || []);
    if (params.length) {
      card.appendChild(el("h4", { text: "Parameters" }));
      card.appendChild(parametersTable(params));
    }
    if (op.requestBody) {
      var rb = resolve(op.requestBody);
      card.appendChild(el("h4", { text: "Request body" + (rb.required ? " (required)" : "") }));
      card.appendChild(contentBlock(rb.content));
    }
    card.appendChild(el("h4", { text: "Responses" }));
    card.appendChild(responsesTable(op.responses));
    Object.keys(op.callbacks || {}).forEach(function (name) {
      var cb = resolve(op.callbacks[name]);
      Object.keys(cb).forEach(function (expr) {
        METHODS.forEach(function (m) {
          var cop = cb[expr][m];
          if (!cop) return;
          var box = el("details", { "class": "cb" }, el("summary", null, el("h4", { text: "Callback " + name + ": " + m.toUpperCase() + " " + expr })));
          if (cop.description) box.appendChild(markdown(cop.description));
          if (cop.parameters) box.appendChild(parametersTable(cop.parameters));
          if (cop.requestBody) box.appendChild(contentBlock(resolve(cop.requestBody).content));
          card.appendChild(box);
        });
      });
    });
    return card;
  }

  function render() {
    var main = document.getElementById("main");
    var nav = document.getElementById("nav");
    main.textContent = "";
    document.getElementById("title").textContent = (doc.info && doc.info.title || "API") + " API";
    document.title = document.getElementById("title").textContent;
    document.getElementById("version").textContent = doc.info && doc.info.version ? "v" + doc.info.version : "";
    main.appendChild(markdown(doc.info && doc.info.description));

    // Group operations by their first tag, in the order of the tag list.
    var groups = {}, order = [];
    (doc.tags || []).forEach(function (t) { groups[t.name] = { tag: t, ops: [] }; order.push(t.name); });
    Object.keys(doc.paths || {}).forEach(function (path) {
      METHODS.forEach(function (m) {
        var op = doc.paths[path][m];
        if (!op) return;
        var tag = (op.tags && op.tags[0]) || "other";
        if (!groups[tag]) { groups[tag] = { tag: { name: tag }, ops: [] }; order.push(tag); }
        groups[tag].ops.push({ path: path, method: m, op: op });
      });
    });
    order.forEach(function (name) {
      var g = groups[name];
      if (!g.ops.length) return;
      var section = el("section", { "class": "tag", id: "tag-" + name }, el("h2", { text: name }));
      if (g.tag.description) section.appendChild(markdown(g.tag.description));
      nav.appendChild(el("h3", null, el("a", { href: "#tag-" + name, text: name })));
      g.ops.forEach(function (o) {
        var card = operationCard(o.path, o.method, o.op);
        section.appendChild(card);
        nav.appendChild(el("a", { href: "#" + card.id, "data-for": card.id }, el("span", { "class": "method m-" + o.method, text: o.method }), " " + o.path));
      });
      main.appendChild(section);
    });

    var schemas = (doc.components && doc.components.schemas) || {};
    var sec = el("section", { "class": "tag", id: "schemas" }, el("h2", { text: "Schemas" }));
    nav.appendChild(el("h3", null, el("a", { href: "#schemas", text: "schemas" })));
    Object.keys(schemas).forEach(function (name) {
      var s = schemas[name];
      var box = el("article", { "class": "schema", id: "schema-" + name, "data-search": name.toLowerCase() }, el("h3", null, el("span", { "class": "path", text: name })));
      if (s.description) box.appendChild(markdown(s.description));
      if (s.properties) box.appendChild(propertyTable(s));
      else box.appendChild(schemaBlock(s));
      sec.appendChild(box);
      nav.appendChild(el("a", { href: "#schema-" + name, "data-for": "schema-" + name, text: name }));
    });
    main.appendChild(sec);
    if (location.hash) {
      var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target) target.scrollIntoView();
    }
  }

  function filter(q) {
    q = q.trim().toLowerCase();
    document.querySelectorAll("[data-search]").forEach(function (n) {
      var hide = q !== "" && n.getAttribute("data-search").indexOf(q) < 0;
      n.classList.toggle("hidden", hide);
      var link = document.querySelector('nav a[data-for="' + n.id + '"]');
      if (link) link.classList.toggle("hidden", hide);
    });
  }

  document.getElementById("filter").addEventListener("input", function (e) { filter(e.target.value); });

  fetch("openapi.json", { headers: { Accept: "application/json" } })
    .then(function (r) {
      if (!r.ok) throw new Error("openapi.json answered " + r.status);
      return r.json();
    })
    .then(function (d) { doc = d; render(); })
    .catch(function (err) {
      var s = document.getElementById("status");
      s.className = "error";
      s.textContent = "Could not load openapi.json: " + err.message;
    });
})();
