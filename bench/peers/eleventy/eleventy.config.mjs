// Eleventy's side of bench/peers.py: the benchmark corpus (copied into posts/ by the
// script) as post pages with Prism-highlighted code, a paginated home, one page per
// category, an RSS feed and related posts by shared keywords and categories.
import syntaxHighlight from "@11ty/eleventy-plugin-syntaxhighlight";
import { feedPlugin } from "@11ty/eleventy-plugin-rss";

export default function (eleventyConfig) {
  eleventyConfig.addPlugin(syntaxHighlight);
  eleventyConfig.addPlugin(feedPlugin, {
    type: "rss",
    outputPath: "/rss.xml",
    collection: { name: "posts", limit: 20 },
    metadata: { language: "en", title: "Bench", base: "https://bench.example.com/", author: { name: "Bench" } },
  });
  eleventyConfig.addCollection("posts", (api) => api.getFilteredByGlob("posts/*.md").reverse());
  eleventyConfig.addCollection("categories", (api) => {
    const byName = new Map();
    for (const post of api.getFilteredByGlob("posts/*.md").reverse()) {
      for (const name of post.data.categories || []) {
        if (!byName.has(name)) byName.set(name, []);
        byName.get(name).push(post);
      }
    }
    return [...byName.entries()].sort().map(([name, posts]) => ({ name, posts }));
  });
  // related posts: an index from each keyword and category to its posts, not every pair
  eleventyConfig.addFilter("related", function (url, posts) {
    if (!posts.index) {
      posts.index = new Map();
      posts.byUrl = new Map(posts.map((p) => [p.url, p]));
      for (const other of posts) {
        for (const key of [...(other.data.keywords || []).map((k) => "k:" + k), ...(other.data.categories || []).map((c) => "c:" + c)]) {
          if (!posts.index.has(key)) posts.index.set(key, []);
          posts.index.get(key).push(other);
        }
      }
    }
    const post = posts.byUrl.get(url);
    const scores = new Map();
    for (const key of [...(post.data.keywords || []).map((k) => "k:" + k), ...(post.data.categories || []).map((c) => "c:" + c)]) {
      for (const other of posts.index.get(key) || []) {
        if (other.url !== post.url) scores.set(other, (scores.get(other) || 0) + (key[0] === "k" ? 2 : 1));
      }
    }
    return [...scores.entries()].sort((a, b) => b[1] - a[1] || b[0].date - a[0].date).slice(0, 5).map(([p]) => p);
  });
  eleventyConfig.addFilter("slugCategory", (name) => eleventyConfig.getFilter("slugify")(name));
  return { dir: { input: ".", includes: "_includes", output: "_site" }, markdownTemplateEngine: false };
}
