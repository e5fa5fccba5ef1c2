export interface Provider {
  id: string;
  provider_key: string;
  name: string;
  display_name?: string;
  description?: string;
  logo_url?: string;
  website_url?: string;
  provider_type?: string;
  oauth_enabled: boolean;
  status: string;
}

export interface Terms {
  provider_key: string;
  version: string;
  terms_text: string;
  effective_date?: string;
  is_active?: boolean;
}

export interface Connection {
  id: string;
  provider_key?: string;
  provider_type?: string;
  provider_name: string;
  provider_display_name?: string;
  connection_name?: string;
  status: string;
  last_sync_at?: string | null;
  next_sync_at?: string | null;
  token_status?: string;
  token_expires_at?: string | null;
  created_at?: string;
}

export interface Claim {
  id: string;
  connection_id?: string;
  provider_claim_id: string;
  claim_type: string;
  service_date?: string | null;
  provider_name?: string | null;
  patient_name?: string | null;
  service_description?: string | null;
  total_amount?: number | string | null;
  patient_responsibility?: number | string | null;
  currency?: string | null;
  status: string;
  verification_status: string;
  created_at?: string;
}

export interface PageInfo {
  number: number;
  size: number;
  total_elements: number;
  total_pages: number;
}

export interface ClaimsPage {
  claims: Claim[];
  page: PageInfo;
}

export interface SyncResult {
  success: boolean;
  sync_id: string;
  status?: string;
  claims_created?: number;
  claims_updated?: number;
  last_sync_at?: string;
}

export interface SyncRun {
  id?: string;
  sync_id: string;
  connection_id: string;
  trigger: string;
  status: 'running' | 'succeeded' | 'failed' | string;
  claims_created?: number;
  claims_updated?: number;
  claims_unchanged?: number;
  error_code?: string | null;
  error?: string | null;
  started_at?: string;
  finished_at?: string | null;
}

export interface InitiateResponse {
  oauth_url: string;
  state?: string;
  session_token?: string;
  expires_at?: string;
}

export interface ConnectResult {
  success: boolean;
  connection_id: string;
  provider_key?: string;
  provider_name?: string;
  status?: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at?: string;
  expires_at?: string | null;
  last_used_at?: string | null;
  revoked_at?: string | null;
  status?: string;
}

export interface NewApiKey extends ApiKey {
  api_key: string;
}

export interface Me {
  id: string;
  tenant_id?: string;
  tenant: string;
  username: string;
  email?: string;
  roles?: string[];
  permissions?: string[];
}

export interface AthenaPatient {
  patient_id: string;
  first_name?: string;
  middle_name?: string;
  last_name?: string;
  date_of_birth?: string;
  email?: string;
  mobile_phone?: string;
  home_phone?: string;
  address?: { line1?: string; line2?: string; city?: string; state?: string; postal_code?: string };
}

export interface AthenaAppointment {
  appointment_id: string;
  date: string;
  start_time?: string;
  duration_minutes?: number;
  appointment_type?: string;
  status?: string;
  provider_name?: string;
  department_name?: string;
  reason?: string;
}

export interface AthenaBalance {
  total_balance: string;
  currency?: string;
  statements: { statement_id: string; statement_date?: string; due_date?: string; amount_due?: string; status?: string }[];
}
