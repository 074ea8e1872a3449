extension UIAsset {
    /// Builds the page from the API: GET /models, GET /models/{name} (the manifest) and
    /// POST /models/{name}/predict. Text is set with textContent only, so names and messages
    /// from a manifest or an answer cannot inject markup.
    static let scriptDocument = #"""
        "use strict";

        const KEY_ITEM = "predict-fcgi.api-key";
        const byId = (id) => document.getElementById(id);
        const keyInput = byId("key");
        const modelSelect = byId("model");
        let features = [];
        let modelName = null;

        function element(tag, attributes = {}, text) {
          const node = document.createElement(tag);
          for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
          if (text !== undefined) node.textContent = text;
          return node;
        }

        class ApiError extends Error {
          constructor(status, body) {
            const error = body && body.error;
            // The service's {"error": {"code", "message", "field"}}; nginx's errors have it too.
            super((error && error.message) || "HTTP status " + status);
            this.status = status;
            this.field = (error && error.field) || null;
          }
        }

        async function api(method, path, body) {
          const headers = { Accept: "application/json" };
          const key = keyInput.value.trim();
          if (key) headers.Authorization = "Bearer " + key;
          const init = { method, headers, cache: "no-store" };
          if (body !== undefined) {
            headers["Content-Type"] = "application/json";
            init.body = JSON.stringify(body);
          }
          const response = await fetch(path, init);
          const data = await response.json().catch(() => null);
          if (!response.ok) throw new ApiError(response.status, data);
          return data;
        }

        function showError(error) {
          const box = byId("error");
          if (error instanceof ApiError && error.status === 401) {
            box.textContent = "This server needs an API key: enter it in the API key field and "
              + "choose Use key. (" + error.message + ")";
          } else if (error instanceof ApiError) {
            box.textContent = "Error " + error.status + ": " + error.message
              + (error.field ? " (field: " + error.field + ")" : "");
          } else {
            box.textContent = "The request failed: " + error.message;
          }
          box.hidden = false;
        }

        function clearAnswer() {
          byId("error").hidden = true;
          byId("result").hidden = true;
          byId("waiting").hidden = false;
        }

        async function loadModels() {
          clearAnswer();
          modelSelect.replaceChildren();
          byId("fields").replaceChildren();
          byId("description").textContent = "";
          byId("predict").disabled = true;
          try {
            const list = await api("GET", "/models");
            for (const model of list.models) {
              const text = model.name + " " + model.version + (model.default ? " (default)" : "");
              const option = element("option", { value: model.name }, text);
              option.selected = model.name === list.default;
              modelSelect.append(option);
            }
            await loadModel();
          } catch (error) {
            showError(error);
          }
        }

        async function loadModel() {
          clearAnswer();
          byId("predict").disabled = true;
          modelName = modelSelect.value;
          const manifest = await api("GET", "/models/" + encodeURIComponent(modelName));
          byId("description").textContent = manifest.description || "";
          features = manifest.features;
          byId("fields").replaceChildren(...features.map(field));
          byId("predict").disabled = false;
        }

        // Six significant digits: a float32 bound such as 1228.4200439453125 reads 1228.42.
        const short = (number) => String(Number(number.toPrecision(6)));

        // A value that predicts at once: the manifest's typical value (the training median),
        // else the middle of the training range.
        function typical(feature) {
          if (typeof feature.typical === "number") return short(feature.typical);
          const middle = (feature.min + feature.max) / 2;
          if (Number.isInteger(feature.min) && Number.isInteger(feature.max)) {
            return String(Math.round(middle));
          }
          return short(middle);
        }

        function field(feature, index) {
          const id = "feature-" + index;
          const wrapper = element("div", { class: "field" });
          const hints = [];
          let input;
          if ((feature.width || 1) > 1) {
            input = element("input", { id, type: "text", required: "" });
            hints.push(feature.width + " values, comma-separated");
          } else if (feature.type === "category" && (feature.categories || []).length > 0) {
            input = element("select", { id });
            if (feature.nullable) input.append(element("option", { value: "" }, "(null)"));
            for (const category of feature.categories) {
              input.append(element("option", { value: category }, category));
            }
            input.value = feature.categories.includes(feature.typical)
              ? feature.typical : feature.categories[0];
          } else if (feature.type === "category") {
            input = element("input", { id, type: "text" });
          } else {
            // No min/max attributes: a value outside the training range is allowed (it only
            // earns a warning), so the browser must not refuse it.
            input = element("input", { id, type: "number", step: "any" });
            input.required = !feature.nullable;
            if (typeof feature.min === "number" && typeof feature.max === "number") {
              const range = short(feature.min) + " to " + short(feature.max);
              input.placeholder = range;
              input.value = typical(feature);
              hints.push("trained on " + range);
            } else {
              input.value = "0";
            }
          }
          if (feature.nullable && input.tagName === "INPUT") hints.push("empty means null");
          wrapper.append(element("label", { for: id }, feature.name), input);
          if (hints.length > 0) {
            wrapper.append(element("small", { id: id + "-hint" }, hints.join("; ")));
            input.setAttribute("aria-describedby", id + "-hint");
          }
          return wrapper;
        }

        function value(feature, input) {
          const text = input.value.trim();
          if (text === "" && feature.nullable) return null;
          const one = (part) => (feature.type === "number" ? Number(part) : part);
          if ((feature.width || 1) > 1) return text.split(",").map((part) => one(part.trim()));
          return one(text);
        }

        function curl(path, body) {
          const quote = (text) => "'" + text.replaceAll("'", "'\\''") + "'";
          const lines = ["curl -sS " + quote(location.origin + path),
            "-H 'Content-Type: application/json'"];
          // The key itself stays out of the line: it may be copied into a ticket or a chat.
          if (keyInput.value.trim()) lines.push("-H \"Authorization: Bearer $PREDICT_API_KEY\"");
          lines.push("-d " + quote(JSON.stringify(body)));
          return lines.join(" \\\n  ");
        }

        function bar(name, number, scale, isProbability, chosen) {
          const classes = ["bar-row"];
          if (chosen) classes.push("chosen");
          if (number < 0) classes.push("negative");
          const row = element("div", {
            class: classes.join(" "), "data-class": name, "data-value": String(number),
          });
          const track = element("div", {
            class: "bar", role: "meter", "aria-label": name, "aria-valuenow": String(number),
            "aria-valuemin": isProbability ? "0" : String(-scale), "aria-valuemax": String(scale),
          });
          const fill = element("div", { class: "bar-fill" });
          // Set through the CSSOM, which the style-src policy allows (a style attribute it would not).
          fill.style.width = Math.min(100, (Math.abs(number) / scale) * 100) + "%";
          track.append(fill);
          const shown = isProbability ? (number * 100).toFixed(1) + " %" : number.toFixed(3);
          row.append(element("span", { class: "bar-name" }, name), track,
            element("span", { class: "bar-value" }, shown));
          return row;
        }

        function show(answer) {
          byId("label").textContent = answer.label;
          const isProbability = answer.probabilities !== undefined;
          const values = Object.entries(answer.probabilities || answer.scores || {});
          const scale = isProbability ? 1 : Math.max(1e-12, ...values.map(([, v]) => Math.abs(v)));
          byId("bars-title").textContent = isProbability
            ? "Probability per class" : "Decision score per class";
          byId("bars").replaceChildren(...values.map(([name, number]) =>
            bar(name, number, scale, isProbability, name === answer.label)));
          byId("warnings").replaceChildren(...(answer.warnings || []).map((warning) =>
            element("li", {}, warning.message)));
          byId("answered-by").textContent = "Answered by " + answer.model.name + " "
            + answer.model.version + ".";
          byId("waiting").hidden = true;
          byId("result").hidden = false;
        }

        byId("predict-form").addEventListener("submit", async (event) => {
          event.preventDefault();
          clearAnswer();
          const body = {};
          features.forEach((feature, index) => {
            body[feature.name] = value(feature, byId("feature-" + index));
          });
          const path = "/models/" + encodeURIComponent(modelName) + "/predict";
          byId("curl").textContent = curl(path, body);
          byId("request").hidden = false;
          try {
            show(await api("POST", path, body));
          } catch (error) {
            showError(error);
          }
        });

        byId("key-form").addEventListener("submit", (event) => {
          event.preventDefault();
          // sessionStorage: the key is gone when the tab closes.
          const key = keyInput.value.trim();
          if (key) sessionStorage.setItem(KEY_ITEM, key);
          else sessionStorage.removeItem(KEY_ITEM);
          loadModels();
        });

        modelSelect.addEventListener("change", () => loadModel().catch(showError));

        keyInput.value = sessionStorage.getItem(KEY_ITEM) || "";
        loadModels();

        """#
}
