import type { Page } from 'playwright-core';

export interface NewPatient {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  sex: 'Female' | 'Male' | 'Intersex' | 'Not stated';
  phone: string;
  email?: string;
}

/** The registration stepper, driven from the keyboard where a receptionist would. */
export class RegisterPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.keyboard.press('Alt+n');
    await this.page.getByRole('heading', { name: 'Register a patient' }).waitFor();
  }

  async fillBasic(p: NewPatient): Promise<void> {
    await this.page.getByLabel('Given name').fill(p.givenName);
    await this.page.getByLabel('Family name').fill(p.familyName);
    await this.page.getByLabel('Date of birth').fill(p.dateOfBirth);
    await this.page.getByLabel('Sex').click();
    await this.page.getByRole('option', { name: p.sex, exact: true }).click();
    await this.page.getByLabel('Phone').fill(p.phone);
    if (p.email) await this.page.getByLabel('E-mail (optional)').fill(p.email);
  }

  async next(): Promise<void> {
    await this.page.getByRole('button', { name: 'Next' }).click();
  }

  async stepHeading(name: string): Promise<void> {
    await this.page.getByRole('heading', { name, level: 2 }).waitFor();
  }
}
