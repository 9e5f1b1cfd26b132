// The people of the demo story: the admins who change the configuration (the originators),
// and name pools for the agents they manage.
import type { Originator } from './types';

export const ADMINS = {
  /** Head of the contact center: teams, promotions, hires. */
  sabine: { id: '3791204410', name: 'Sabine Krüger' },
  /** Workforce management: skills, working hours, schedules, chat limits. */
  jonas: { id: '3791204422', name: 'Jonas Weber' },
  /** Team lead Billing, Tech and Service. */
  priya: { id: '3791204437', name: 'Priya Natarajan' },
  /** Team lead Sales, Retention and Business. */
  mehmet: { id: '3791204451', name: 'Mehmet Yılmaz' },
  /** Knowledge manager: predefined content and its categories. */
  claire: { id: '3791204468', name: 'Claire Dubois' },
  /** Quality and CX: surveys. */
  tomasz: { id: '3791204479', name: 'Tomasz Nowak' },
  /** LivePerson administrator in IT: accounts, passwords, profiles. */
  lena: { id: '3791204486', name: 'Lena Hoffmann' },
  /** The identity provider's user sync; it reports element changes, not snapshots. */
  sync: { id: 'okta-scim-sync', name: 'Okta user sync (API)' },
} as const satisfies Record<string, Originator>;

export type AdminKey = keyof typeof ADMINS;

export const FIRST_NAMES = [
  'Anna', 'Ben', 'Clara', 'David', 'Elif', 'Felix', 'Greta', 'Hannah', 'Ivan', 'Julia', 'Kai', 'Laura', 'Malte', 'Nina',
  'Oskar', 'Paula', 'Quentin', 'Rosa', 'Simon', 'Tanja', 'Umut', 'Vera', 'Wiebke', 'Yusuf', 'Zoe', 'Aylin', 'Bastian',
  'Chiara', 'Dominik', 'Emma', 'Finn', 'Gülsen', 'Henrik', 'Ines', 'Jan', 'Katarzyna', 'Leon', 'Marta', 'Niklas', 'Olga',
  'Pedro', 'Rania', 'Stefan', 'Tobias', 'Ugne', 'Valentina', 'Wojciech', 'Xenia', 'Yara', 'Zeynep', 'Amir', 'Beatriz',
  'Carlos', 'Daria', 'Erik', 'Fatima', 'Gabriel', 'Helena', 'Igor', 'Johanna', 'Kerstin', 'Lukas', 'Mia', 'Noah',
] as const;

export const LAST_NAMES = [
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Koch', 'Richter', 'Klein', 'Wolf',
  'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Hofmann', 'Hartmann', 'Lange', 'Schmitt', 'Werner', 'Krause',
  'Lehmann', 'Köhler', 'Demir', 'Kaya', 'Şahin', 'Kowalski', 'Wiśniewski', 'Silva', 'Santos', 'Ferreira', 'Costa', 'Rossi',
  'Bianchi', 'Novak', 'Horvat', 'Petrov', 'Ivanov', 'Okafor', 'Mensah', 'Haddad', 'Nguyen', 'Tran', 'Jensen', 'Larsen',
  'Andersson', "O'Brien", 'García', 'Martínez', 'Popescu', 'Dimitrov', 'Yıldız', 'Öztürk', 'Brandt', 'Vogel', 'Frank',
] as const;

/** "Jürgen Öztürk" → "juergen.oeztuerk": login names and e-mail local parts are ASCII. */
export function asciiLogin(fullName: string): string {
  const replacements: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', ş: 's', ı: 'i', ğ: 'g', ç: 'c' };
  return fullName
    .toLowerCase()
    .replace(/[äöüßşığç]/g, (c) => replacements[c] ?? c)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z ]/g, '')
    .trim()
    .replace(/\s+/g, '.');
}
