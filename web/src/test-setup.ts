// Component tests wait for the page to settle (findBy…, waitFor). Testing Library's default of one
// second is tight when the full suite loads a 2-core machine; a slow render is not what they test.
if (typeof document !== 'undefined') {
  const { configure } = await import('@testing-library/react');
  configure({ asyncUtilTimeout: 5_000 });
}
