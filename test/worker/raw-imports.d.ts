// Text files imported as strings through Vite's ?raw suffix (the README, in its example test).
declare module '*.md?raw' {
  const text: string;
  export default text;
}
