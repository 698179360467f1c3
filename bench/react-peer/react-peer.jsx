// The React peer of `npm run bench`: @boxyhq/react-ui's SSO connection setup form with React 18,
// as a host application would render it (its stylesheet included), SAML first, in its "advanced"
// variant: the whole form (name, description, tenant, product, redirect URLs, metadata...), the
// one a self-serve setup needs. Nothing is posted: the bench fills the form and stops there.
import { createRoot } from 'react-dom/client';
import { CreateSSOConnection } from '@boxyhq/react-ui/sso';
import '@boxyhq/react-ui/dist/react-ui.css';

createRoot(document.getElementById('root')).render(
  <CreateSSOConnection variant={{ saml: 'advanced', oidc: 'advanced' }} urls={{ post: '/api/connections' }} successCallback={() => {}} errorCallback={() => {}} />,
);
