// data for every post of posts/ (bench/peers.py copies this file there beside the corpus)
export default {
  layout: "post.njk",
  permalink: (data) => `plog/${data.page.fileSlug}/index.html`,
};
