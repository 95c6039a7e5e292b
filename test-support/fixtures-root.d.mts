/** The directory holding the shared fixtures (blosc1/, bcolz/); throws when there is none. */
export function fixturesRoot(): string;
