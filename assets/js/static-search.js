/*
 * Search with no server: reads the static index of site/search/FORMAT.md.
 *
 * The entry file first, then only the word and term shards the query's words
 * need, then the metadata blocks of the results shown. Ranks as the engine
 * does (matched words, then the sum of BM25 weights, then newer first),
 * completes the last word while it is typed, corrects one typo per word, and
 * folds accents. Index text is shown with text nodes only, never as HTML.
 *
 * On /search/ it drives the form, the results, the category filter and ?q=;
 * on 404.html it suggests posts whose words match the missing URL. The page
 * says where the index is: data-search-index on the form or the suggestions.
 */
(() => {
  "use strict";

  const SHOWN = 10;
  const fold = (s) => s.toLowerCase().normalize("NFKD").replace(/\p{Mn}/gu, "");
  const words = (s) => fold(s).match(/[\p{L}\p{N}]+/gu) ?? [];
  const points = (s) => [...s];
  const shardName = (key) => points(key).slice(0, 2).join("");
  const deletion = (key, at) => {
    const p = points(key);
    p.splice(at, 1);
    return p.join("");
  };
  const unique = (items) => [...new Set(items)];
  const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  // a key of parsed JSON, never one of Object.prototype's ("constructor" is a word too)
  const own = (object, key) => (Object.hasOwn(object, key) ? object[key] : undefined);

  /* Porter (1980) as SQLite's FTS5 porter tokenizer implements it, on UTF-8 bytes. */
  const porter = (() => {
    const vowel = (c, yIsVowel) => "aeiou".includes(c) || (yIsVowel && c === "y");
    // the index after the first vowel-consonant run of z (0: there is none)
    const gobble = (z, consonant) => {
      let i = 0;
      for (; i < z.length; i++) if (!(consonant = !vowel(z[i], consonant))) break;
      for (i++; i < z.length; i++) if ((consonant = !vowel(z[i], consonant))) return i + 1;
      return 0;
    };
    const m0 = (z) => gobble(z, false) > 0;
    const m1 = (z) => {
      const n = gobble(z, false);
      return n > 0 && gobble(z.slice(n), true) > 0;
    };
    const eq1 = (z) => {
      const n = gobble(z, false);
      return n > 0 && gobble(z.slice(n), true) === 0;
    };
    const ostar = (z) => {
      if ("wxy".includes(z.at(-1))) return false;
      let mask = 0;
      let consonant = false;
      for (const c of z) mask = ((mask << 1) | (consonant = !vowel(c, consonant))) & 7;
      return mask === 5;
    };
    const hasVowel = (z) => z.some((c, i) => vowel(c, i > 0));
    const st = (z) => "st".includes(z.at(-1)) && m1(z);
    const rules = (text, test) => text.split(" ").map((rule) => [...rule.split("/"), test]);
    const step2 = rules(
      "ational/ate tional/tion enci/ence anci/ance izer/ize logi/log bli/ble alli/al entli/ent eli/e ousli/ous " +
        "ization/ize ation/ate ator/ate alism/al iveness/ive fulness/ful ousness/ous aliti/al iviti/ive biliti/ble",
      m0,
    );
    const step3 = rules("ical/ic ness/ icate/ic iciti/ic ful/ ative/ alize/al", m0);
    const step4 = rules("al/ ance/ ence/ er/ ic/ able/ ible/ ant/ ement/ ment/ ent/ ion/ ou/ ism/ ate/ iti/ ous/ ive/ ize/", m1);
    step4[11][2] = st; // -ion only after s or t
    const apply = (z, list) => {
      const s = z.join("");
      for (const [suffix, output, test] of list) {
        if (z.length > suffix.length && s.endsWith(suffix)) {
          const stem = z.slice(0, z.length - suffix.length);
          return test(stem) ? [...stem, ...output] : z;
        }
      }
      return z;
    };
    return (word) => {
      const bytes = new TextEncoder().encode(word);
      if (bytes.length < 3 || bytes.length > 64) return word;
      // one "letter" per byte, as in C: a non-ASCII byte is a consonant
      let z = [...bytes].map((b) => String.fromCharCode(b < 128 ? b : 256 + b));
      const ends = (suffix) => z.join("").endsWith(suffix);
      if (z.at(-1) === "s") {
        if (z.at(-2) === "e") z.length -= (z.length > 4 && ends("sses")) || (z.length > 3 && z.at(-3) === "i") ? 2 : 1;
        else if (z.at(-2) !== "s") z.length -= 1;
      }
      let removed = false;
      if (z.length > 3 && ends("eed")) {
        if (m0(z.slice(0, -3))) z.length -= 1;
      } else {
        const suffix = z.length > 2 && ends("ed") ? 2 : z.length > 3 && ends("ing") ? 3 : 0;
        if (suffix && hasVowel(z.slice(0, -suffix))) {
          z.length -= suffix;
          removed = true;
        }
      }
      if (removed) {
        const before = z.length;
        z = apply(z, rules("at/ate bl/ble iz/ize", () => true));
        const c = z.at(-1);
        if (z.length === before) {
          if (!vowel(c, false) && !"lsz".includes(c) && c === z.at(-2)) z.length -= 1;
          else if (eq1(z) && ostar(z)) z.push("e");
        }
      }
      if (z.at(-1) === "y" && hasVowel(z.slice(0, -1))) z[z.length - 1] = "i";
      z = apply(apply(apply(z, step2), step3), step4);
      const stem = z.slice(0, -1);
      if (z.at(-1) === "e" && (m1(stem) || (eq1(stem) && !ostar(stem)))) z.length -= 1;
      if (z.length > 1 && z.at(-1) === "l" && z.at(-2) === "l" && m1(z.slice(0, -1))) z.length -= 1;
      return new TextDecoder().decode(new Uint8Array(z.map((c) => c.charCodeAt(0) % 256)));
    };
  })();

  /* Is b one edit from a (optimal string alignment distance 1)? Past their common
     prefix and suffix, one edit leaves one or no letter on each side, or a swapped pair. */
  const oneEdit = (a, b) => {
    const x = points(a);
    const y = points(b);
    let i = 0;
    let j = x.length;
    let k = y.length;
    while (i < j && i < k && x[i] === y[i]) i++;
    while (j > i && k > i && x[j - 1] === y[k - 1]) j--, k--;
    const [m, n] = [j - i, k - i];
    return (m < 2 && n < 2 && m + n > 0) || (m === 2 && n === 2 && x[i] === y[i + 1] && x[i + 1] === y[i]);
  };

  const fetched = new Map();
  const load = (url) => {
    if (!fetched.has(url)) {
      const request = fetch(url).then((response) => {
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return response.json();
      });
      request.catch(() => fetched.delete(url));
      fetched.set(url, request);
    }
    return fetched.get(url);
  };

  /* The index at entryUrl: query(text, open) gives the ranked posts, meta(post) their metadata. */
  const open = async (entryUrl) => {
    const entry = await load(entryUrl);
    if (entry.version !== 1) throw new Error(`${entryUrl}: version ${entry.version}`);
    const file = (kind, hash) => new URL(`index/${kind}-${hash}.json`, new URL(entryUrl, location.href)).href;
    // the hash of name's file in a prefix -> hash map: its longest listed prefix's
    const fileOf = (map, name) => {
      for (let n = points(name).length; n >= 0; n--) {
        const prefix = points(name).slice(0, n).join("");
        if (own(map, prefix)) return map[prefix];
      }
    };
    const loaded = new Map(); // the word shards fetched so far, by hash
    const wordShard = async (key) => {
      const hash = fileOf(entry.words, shardName(key));
      if (!hash) return { words: {}, df: {}, deletes: {} };
      const shard = await load(file("w", hash));
      loaded.set(hash, shard);
      return shard;
    };
    const postings = new Map();
    const postingsOf = async (term) => {
      if (!postings.has(term)) {
        const hash = fileOf(entry.terms, term);
        const shard = hash ? await load(file("t", hash)) : {};
        const list = own(shard, term) ?? [];
        const decoded = [];
        for (let i = 0, post = 0; i < list.length; i += 2) decoded.push([(post += list[i]), list[i + 1]]);
        postings.set(term, decoded);
      }
      return postings.get(term);
    };
    const dfOf = (shard, terms) => Math.max(...terms.map((t) => own(shard.df, t) ?? 0));

    const correct = async (key) => {
      const keys = unique([key, deletion(key, 0), deletion(key, 1)]);
      const shards = await Promise.all(keys.map(wordShard));
      const found = new Set();
      shards.forEach((shard, i) => {
        Object.keys(shard.words).forEach((w) => found.add(w));
        (own(shard.deletes, keys[i]) ?? []).forEach((w) => found.add(w));
      });
      const near = [...found].filter((w) => points(w).length >= entry.typo.min && oneEdit(key, w));
      const scored = await Promise.all(
        near.map(async (w) => {
          const shard = await wordShard(w);
          const terms = own(shard.words, w) ?? [];
          return { w, terms, df: terms.length ? dfOf(shard, terms) : -1 };
        }),
      );
      scored.sort((a, b) => b.df - a.df || byText(a.w, b.w));
      return scored.slice(0, 10);
    };

    // the terms a query word stands for, and how the page shows what it matched
    const lookUp = async (key, completing) => {
      const shard = await wordShard(key);
      const terms = new Set(own(shard.words, key) ?? []);
      const match = { key, terms, keys: new Set(terms.size ? [key] : []), prefix: null, correction: null };
      if (!terms.size && entry.stemmer === "porter") {
        const stem = porter(key);
        if (Object.hasOwn(shard.df, stem)) terms.add(stem);
      }
      if (completing && points(key).length >= entry.prefix.min) {
        const completions = unique(
          Object.keys(shard.words)
            .filter((w) => w.startsWith(key))
            .flatMap((w) => shard.words[w]),
        );
        completions.sort((a, b) => own(shard.df, b) - own(shard.df, a) || byText(a, b));
        completions.slice(0, entry.prefix.terms).forEach((t) => terms.add(t));
        match.prefix = key;
      }
      if (!terms.size && points(key).length >= entry.typo.query) {
        const candidates = await correct(key);
        for (const candidate of candidates) {
          candidate.terms.forEach((t) => terms.add(t));
          match.keys.add(candidate.w);
        }
        if (candidates.length) match.correction = candidates[0].w;
      }
      return match;
    };

    const query = async (text, typing) => {
      const keys = unique(words(text));
      // the last word is completed while it is being typed (the text ends inside it)
      const last = typing && /[\p{L}\p{N}\p{Mn}]$/u.test(text) ? keys.at(-1) : null;
      const matches = await Promise.all(keys.map((key) => lookUp(key, key === last)));
      const ranked = new Map();
      for (const match of matches) {
        const lists = await Promise.all([...match.terms].map(postingsOf));
        const seen = new Set();
        for (const list of lists) {
          for (const [post, weight] of list) {
            const hit = ranked.get(post) ?? { post, matched: 0, score: 0 };
            ranked.set(post, hit);
            if (!seen.has(post)) {
              seen.add(post);
              hit.matched += 1;
            }
            hit.score += weight;
          }
        }
      }
      const hits = [...ranked.values()].sort((a, b) => b.matched - a.matched || b.score - a.score || b.post - a.post);
      const corrected = matches.some((m) => m.correction) && hits.length;
      const terms = new Set(matches.flatMap((m) => [...m.terms]));
      // a word of a title or summary is highlighted when it is one the query resolved, or shares a term with it
      const highlights = (key) =>
        matches.some((m) => m.keys.has(key) || (m.prefix && key.startsWith(m.prefix))) ||
        (own(loaded.get(fileOf(entry.words, shardName(key)))?.words ?? {}, key) ?? []).some((term) => terms.has(term)) ||
        (entry.stemmer === "porter" && terms.has(porter(key)));
      return {
        hits,
        highlights,
        correction: corrected ? matches.map((m) => m.correction ?? m.key).join(" ") : null,
        categories: entry.categories,
        categoriesOf: (post) => entry.postCategories[post],
      };
    };
    const meta = async (post) => (await load(file("m", entry.meta[Math.floor(post / entry.block)])))[post % entry.block];
    return { query, meta };
  };

  /* Text with the words a query matched in <mark>, as text nodes. */
  const highlight = (text, highlights) => {
    const fragment = document.createDocumentFragment();
    let at = 0;
    for (const found of text.matchAll(/[\p{L}\p{N}\p{Mn}]+/gu)) {
      if (!words(found[0]).some(highlights)) continue;
      fragment.append(text.slice(at, found.index));
      fragment.append(element("mark", {}, found[0]));
      at = found.index + found[0].length;
    }
    fragment.append(text.slice(at));
    return fragment;
  };

  const element = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
    node.append(...children);
    return node;
  };
  const longDate = (day) =>
    new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

  /* The search page: live results, ?q=, keyboard, category filter. */
  const searchPage = (form) => {
    const index = open(form.dataset.searchIndex);
    const inputs = [...document.querySelectorAll('form[role="search"] input[name="q"]')];
    const input = form.querySelector('input[name="q"]');
    const [status, correction, filter, list, more] = ["status", "correction", "filter", "results", "more"].map((id) =>
      document.getElementById(`search-${id}`),
    );
    let run = 0;
    let current = null;
    let category = null;
    let shown = SHOWN;
    let active = -1;

    const options = () => [...list.querySelectorAll('[role="option"]')];
    const activate = (n) => {
      const all = options();
      active = Math.max(-1, Math.min(n, all.length - 1));
      all.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
      inputs.forEach((box) =>
        active < 0 ? box.removeAttribute("aria-activedescendant") : box.setAttribute("aria-activedescendant", all[active].id),
      );
      if (active >= 0) all[active].scrollIntoView({ block: "nearest" });
    };

    const filtered = () => current.hits.filter((hit) => category === null || current.categoriesOf(hit.post).includes(category));

    const showFilter = () => {
      const counts = new Map();
      current.hits.forEach((hit) => current.categoriesOf(hit.post).forEach((c) => counts.set(c, (counts.get(c) ?? 0) + 1)));
      const button = (label, value, count) => {
        const node = element(
          "button",
          { type: "button", "aria-pressed": String(category === value) },
          label,
          " ",
          element("span", { class: "count" }, `(${count})`),
        );
        node.addEventListener("click", () => {
          category = value;
          shown = SHOWN;
          render();
        });
        return node;
      };
      const buttons = current.categories.flatMap((name, i) => (counts.has(i) ? [button(name, i, counts.get(i))] : []));
      filter.hidden = buttons.length === 0;
      filter.querySelector(".filter-buttons").replaceChildren(button("All", null, current.hits.length), ...buttons);
    };

    const render = async () => {
      const mine = run;
      const hits = filtered();
      const page = hits.slice(0, shown);
      const metas = await Promise.all(page.map((hit) => current.meta(hit.post)));
      if (mine !== run) return;
      list.replaceChildren(
        ...page.map((hit, i) => {
          const post = metas[i];
          const names = current.categoriesOf(hit.post).map((c) => current.categories[c]);
          const details = [post.date ? element("time", { datetime: post.date }, longDate(post.date)) : "", names.join(", ")];
          return element(
            "li",
            { role: "option", id: `search-result-${i}`, class: "search-result", "aria-selected": "false" },
            element("a", { href: post.url }, highlight(post.title, current.highlights)),
            element("p", { class: "search-meta" }, ...details.filter(Boolean).flatMap((d, j) => (j ? [" · ", d] : [d]))),
            post.summary ? element("p", { class: "search-summary" }, highlight(post.summary, current.highlights)) : "",
          );
        }),
      );
      list.hidden = page.length === 0;
      more.hidden = hits.length <= shown;
      inputs.forEach((box) => box.setAttribute("aria-expanded", String(page.length > 0)));
      activate(-1);
      showFilter();
    };

    const search = async (text, typing) => {
      const mine = ++run;
      const url = new URL(location.href);
      if (text.trim()) url.searchParams.set("q", text);
      else url.searchParams.delete("q");
      history.replaceState(null, "", url);
      let result;
      try {
        result = await (await index).query(text, typing);
        // a submitted word that matches nothing, not even corrected, may be the start of one ("kube")
        if (!typing && !result.hits.length) result = await (await index).query(text, true);
      } catch (error) {
        if (mine === run) status.textContent = "Search is not available: its index could not be loaded.";
        throw error;
      }
      if (mine !== run) return;
      current = { ...result, meta: (await index).meta };
      if (category !== null && !result.hits.some((hit) => current.categoriesOf(hit.post).includes(category))) category = null;
      shown = SHOWN;
      const count = result.hits.length;
      const quoted = `\u201c${text.trim()}\u201d`;
      status.textContent = !text.trim()
        ? ""
        : count
          ? `${count} result${count === 1 ? "" : "s"} for ${quoted}`
          : `No results for ${quoted}. Check the spelling, or try fewer or other words.`;
      correction.hidden = !result.correction;
      correction.replaceChildren("Showing results for ", element("strong", {}, result.correction ?? ""));
      if (count === 0) {
        list.replaceChildren();
        list.hidden = true;
        filter.hidden = true;
        more.hidden = true;
        inputs.forEach((box) => box.setAttribute("aria-expanded", "false"));
        return;
      }
      await render();
    };

    for (const box of inputs) {
      box.addEventListener("input", () => {
        inputs.forEach((other) => other !== box && (other.value = box.value));
        search(box.value, true);
      });
      box.addEventListener("keydown", (event) => {
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault();
          activate(active + (event.key === "ArrowDown" ? 1 : -1));
        } else if (event.key === "Enter" && active >= 0) {
          event.preventDefault();
          location.assign(options()[active].querySelector("a").href);
        }
      });
      box.form.addEventListener("submit", (event) => {
        event.preventDefault();
        inputs.forEach((other) => (other.value = box.value));
        search(box.value, false);
      });
    }
    more.addEventListener("click", () => {
      shown += SHOWN;
      render();
    });
    const initial = new URLSearchParams(location.search).get("q");
    if (initial) {
      inputs.forEach((box) => (box.value = initial));
      search(initial, false);
    }
    input.focus();
  };

  /* 404.html: posts whose words match the missing URL. */
  const suggest = async (section) => {
    let path = location.pathname;
    try {
      path = decodeURIComponent(path);
    } catch {
      // keep the encoded form
    }
    const ignored = new Set((section.dataset.ignore ?? "").split(" "));
    const text = words(path)
      .filter((w) => !ignored.has(w))
      .join(" ");
    if (!text) return;
    const index = await open(section.dataset.searchIndex);
    const { hits } = await index.query(text, false);
    const posts = await Promise.all(hits.slice(0, 5).map((hit) => index.meta(hit.post)));
    if (!posts.length) return;
    section.querySelector("ul").replaceChildren(...posts.map((post) => element("li", {}, element("a", { href: post.url }, post.title))));
    section.hidden = false;
  };

  // for other scripts (and the tests): the same evaluation the page runs
  window.kilnSearch = { open, porter, words };
  const form = document.querySelector("form[data-search-index]");
  if (form && document.getElementById("search-results")) searchPage(form);
  const suggestions = document.querySelector("section[data-search-index]");
  // suggestions are a courtesy: a 404 page whose index cannot be read stays as it is
  if (suggestions) suggest(suggestions).catch((error) => console.warn("no search suggestions:", error));
})();
