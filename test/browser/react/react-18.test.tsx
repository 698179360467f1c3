// The React wrapper in React 18 (its copy: test/react-versions/react-18, bundled by scripts/wtr-react-bundles.mjs).
import { describeReactWrapper } from './react-wrapper-suite.js';

describeReactWrapper(18);
