// The React wrapper in React 19 (its copy: test/react-versions/react-19, bundled by scripts/wtr-react-bundles.mjs).
import { describeReactWrapper } from './react-wrapper-suite.js';

describeReactWrapper(19);
