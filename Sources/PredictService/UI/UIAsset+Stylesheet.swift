extension UIAsset {
    static let stylesheetDocument = #"""
        :root { color-scheme: light; --accent: #1f5fa8; --muted: #5b6470; --line: #d6dbe1; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, "DejaVu Sans", sans-serif; color: #1c2026;
          background: #f4f6f8; }
        header { padding: 1rem 2rem; background: #fff; border-bottom: 1px solid var(--line); }
        h1 { margin: 0; font-size: 1.3rem; }
        h2 { margin: 0 0 .8rem; font-size: 1.05rem; }
        h3 { margin: 1rem 0 .5rem; font-size: .95rem; color: var(--muted); }
        header p { margin: .2rem 0 0; color: var(--muted); }
        main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.2rem;
          max-width: 1200px; padding: 1.2rem 2rem; align-items: start; }
        @media (max-width: 800px) { main { grid-template-columns: 1fr; padding: 1rem; } }
        .panel { background: #fff; border: 1px solid var(--line); border-radius: 8px;
          padding: 1rem 1.2rem; }
        .row { display: flex; gap: .5rem; align-items: center; margin-bottom: .6rem;
          flex-wrap: wrap; }
        .row label { min-width: 5rem; font-weight: 600; }
        .row input, .row select { flex: 1; min-width: 10rem; }
        label small, .field small { font-weight: normal; color: var(--muted); }
        input, select, button { font: inherit; padding: .3rem .45rem; border: 1px solid #b9c1ca;
          border-radius: 4px; background: #fff; }
        button { background: var(--accent); color: #fff; border-color: var(--accent);
          padding: .35rem 1rem; cursor: pointer; }
        button:disabled { opacity: .5; cursor: default; }
        .description { color: var(--muted); margin: .2rem 0 .8rem; }
        .fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr));
          gap: .55rem .8rem; margin-bottom: 1rem; }
        .field { display: flex; flex-direction: column; gap: .15rem; }
        .field label { font-weight: 600; font-size: .9rem; }
        .field small { font-size: .78rem; }
        .error { color: #9b1c1c; background: #fdecec; border: 1px solid #f3b7b7;
          border-radius: 4px; padding: .5rem .7rem; }
        .label { font-size: 1.1rem; margin: 0; }
        #label { font-size: 1.8rem; font-weight: 700; color: var(--accent); margin-left: .3rem; }
        .bars { display: grid; gap: .35rem; }
        .bar-row { display: grid; grid-template-columns: 6rem 1fr 4.5rem; gap: .5rem;
          align-items: center; }
        .bar-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .bar { height: .9rem; background: #e8ecf0; border-radius: 3px; overflow: hidden; }
        .bar-fill { height: 100%; background: #9db4cf; }
        .chosen .bar-fill { background: var(--accent); }
        .chosen .bar-name { font-weight: 700; }
        .negative .bar-fill { background: #c98b8b; }
        .bar-value { text-align: right; font-variant-numeric: tabular-nums; }
        .warnings { color: #7a4b00; padding-left: 1.2rem; }
        .warnings:empty { display: none; }
        pre { background: #1c2026; color: #e8ecf0; padding: .7rem .9rem; border-radius: 6px;
          white-space: pre-wrap; word-break: break-all; font-size: .8rem; margin: 0; }

        """#
}
