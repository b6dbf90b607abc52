// remark for npm run lint: every relative link and heading anchor in README.md, CHANGELOG.md and
// docs/ must resolve (remark-validate-links, offline: no repository host is asked).
import remarkValidateLinks from 'remark-validate-links';

export default { plugins: [[remarkValidateLinks, { repository: false }]] };
