/** A one-shot hand-over from a symptom check to the booking screen ("Book from this result"). */
export interface BookingPreset {
  specializationId: string;
  consultationTypeId: string | null;
  /** Same-day urgency: the earliest slots across doctors first. */
  earliestFirst: boolean;
  /** The day view's free slot: the doctor, the clinic date and time to start from. */
  doctorId?: string;
  date?: string;
  time?: string;
  /** Why, in a line the booking screen shows. */
  summary: string;
}

let pending: BookingPreset | null = null;

export const setBookingPreset = (preset: BookingPreset): void => {
  pending = preset;
};

/** What the booking screen starts from (read in a state initializer, so React may call it twice). */
export const peekBookingPreset = (): BookingPreset | null => pending;

/** Used once: a later visit to the booking screen starts empty. */
export const clearBookingPreset = (): void => {
  pending = null;
};
