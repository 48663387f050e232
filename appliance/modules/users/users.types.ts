import { z } from 'zod';

export const Role = { Admin: 'admin', Supervisor: 'supervisor', Agent: 'agent' } as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES: readonly Role[] = [Role.Admin, Role.Supervisor, Role.Agent];

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  isDisabled: boolean;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  passwordChangedAt: string;
  createdAt: string;
  updatedAt: string;
}

/** Who did something, for the audit log. `userId` is null for the system itself and for anonymous visitors. */
export interface Actor {
  userId: number | null;
  name: string;
  ip: string | null;
}
export const systemActor: Actor = { userId: null, name: 'system', ip: null };

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;
export const PasswordSchema = z
  .string({ error: 'Enter a password.' })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

const Username = z
  .string({ error: 'Enter a username.' })
  .trim()
  .min(2, 'Use at least 2 characters.')
  .max(64, 'Use at most 64 characters.')
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/, 'Use letters, digits, dots, dashes and underscores, starting with a letter or digit.');

const DisplayName = z
  .string({ error: 'Enter a name.' })
  .trim()
  .min(1, 'Enter a name.')
  .max(100, 'Use at most 100 characters.')
  .regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed.');

const RoleField = z.enum(ROLES as [Role, ...Role[]], { error: 'Choose a role.' });

export const NewUserSchema = z
  .object({
    username: Username,
    displayName: DisplayName,
    role: RoleField,
    password: PasswordSchema,
    passwordConfirm: z.string({ error: 'Repeat the password.' }),
  })
  .refine((v) => v.password === v.passwordConfirm, { path: ['passwordConfirm'], message: 'The passwords do not match.' })
  .refine((v) => v.password.toLowerCase() !== v.username.toLowerCase(), {
    path: ['password'],
    message: 'The password must not be the username.',
  });
export type NewUser = z.infer<typeof NewUserSchema>;

export const UpdateUserSchema = z.object({ displayName: DisplayName, role: RoleField });
export type UpdateUser = z.infer<typeof UpdateUserSchema>;

export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string({ error: 'Enter your current password.' }).min(1, 'Enter your current password.'),
    password: PasswordSchema,
    passwordConfirm: z.string({ error: 'Repeat the new password.' }),
  })
  .refine((v) => v.password === v.passwordConfirm, { path: ['passwordConfirm'], message: 'The passwords do not match.' })
  .refine((v) => v.password !== v.currentPassword, { path: ['password'], message: 'Choose a password you have not just used.' });

export const UserFilterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  role: RoleField.optional().catch(undefined),
  status: z.enum(['active', 'disabled']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
});
export type UserFilter = z.infer<typeof UserFilterSchema>;
