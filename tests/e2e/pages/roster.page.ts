import type { Locator, Page } from 'playwright-core';

/** The admin's roster screen: doctors, their weekly hours, time off and week. */
export class RosterPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.keyboard.press('Alt+r');
    await this.page.getByRole('heading', { name: 'Roster', level: 1 }).waitFor();
  }

  /** Picks options of an MUI select by their names, then closes it. */
  async choose(label: string, ...options: string[]): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).click();
    for (const option of options) await this.page.getByRole('option', { name: option, exact: true }).click();
    if (options.length !== 1) await this.page.keyboard.press('Escape');
  }

  async addDoctor(d: { givenName: string; familyName: string; specializations: string[] }): Promise<void> {
    await this.page.getByRole('button', { name: 'Add doctor' }).click();
    await this.page.getByRole('heading', { name: 'New doctor' }).waitFor();
    await this.page.getByLabel('Given name').fill(d.givenName);
    await this.page.getByLabel('Family name').fill(d.familyName);
    await this.choose('Specializations', ...d.specializations);
    await this.page.getByRole('form', { name: 'Doctor details' }).getByRole('button', { name: 'Add doctor' }).click();
    await this.page.getByRole('heading', { name: `Dr ${d.givenName} ${d.familyName}`, level: 2 }).waitFor();
  }

  get weeklyHours(): Locator {
    return this.page.getByRole('form', { name: 'Weekly hours' });
  }

  /** Adds an interval on a weekday (the n-th of that day) at a location. */
  async addHours(day: string, n: number, location: string, from: string, to: string): Promise<void> {
    await this.weeklyHours.getByRole('button', { name: `Add hours on ${day}` }).click();
    await this.choose(`${day} location ${n}`, location);
    await this.weeklyHours.getByLabel(`${day} from ${n}`).fill(from);
    await this.weeklyHours.getByLabel(`${day} to ${n}`).fill(to);
  }

  async saveHours(): Promise<void> {
    await this.weeklyHours.getByRole('button', { name: 'Save weekly hours' }).click();
  }

  /** Adds all-day time off on a date (YYYY-MM-DD). */
  async addTimeOff(date: string, reason: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Add time off or extra hours' });
    await form.getByLabel('Date', { exact: true }).fill(date);
    await form.getByLabel('Reason').fill(reason);
    await form.getByRole('button', { name: 'Add time off' }).click();
  }

  /** One day of the week view, by its label ('Mon 16 Mar'). */
  day(label: string): Locator {
    return this.page.getByRole('list', { name: 'Week' }).getByRole('listitem', { name: label });
  }
}
