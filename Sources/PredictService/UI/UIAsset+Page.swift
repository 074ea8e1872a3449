extension UIAsset {
    /// Only the skeleton: every model, field and answer is filled in by app.js.
    static let pageDocument = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>predict-fcgi: try a model</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/ui/app.css">
        <script src="/ui/app.js" defer></script>
        </head>
        <body>
        <header>
          <h1>predict-fcgi</h1>
          <p>Try a served model: pick it, describe one client, predict.</p>
        </header>
        <main>
          <section class="panel" aria-labelledby="setup-title">
            <h2 id="setup-title">Model</h2>
            <form id="key-form" class="row">
              <label for="key">API key <small>(when the server requires one)</small></label>
              <input id="key" type="password" autocomplete="off" spellcheck="false">
              <button type="submit">Use key</button>
            </form>
            <div class="row">
              <label for="model">Model</label>
              <select id="model"></select>
            </div>
            <p id="description" class="description"></p>
            <form id="predict-form" aria-label="Features">
              <div id="fields" class="fields"></div>
              <button id="predict" type="submit" disabled>Predict</button>
            </form>
          </section>
          <section class="panel" aria-labelledby="answer-title">
            <h2 id="answer-title">Answer</h2>
            <p id="error" class="error" role="alert" hidden></p>
            <p id="waiting" class="description">Choose Predict to see the model's answer.</p>
            <div id="result" aria-live="polite" hidden>
              <p class="label">Prediction: <output id="label"></output></p>
              <h3 id="bars-title">Probability per class</h3>
              <div id="bars" class="bars" aria-labelledby="bars-title"></div>
              <ul id="warnings" class="warnings"></ul>
              <p id="answered-by" class="description"></p>
            </div>
            <div id="request" hidden>
              <h3>The same request with curl</h3>
              <pre id="curl"></pre>
            </div>
          </section>
        </main>
        </body>
        </html>

        """#
}
