# Infrastructure of the web example. Built-in resources only, so it runs without provider downloads.
variable "stage" { type = string }
variable "region" { type = string }
variable "account_id" { type = string }
variable "organization" { type = string }
variable "service_name" { type = string }
variable "desired_count" { type = number }
variable "log_retention_days" { type = number }
variable "domain" { type = string }
variable "datadog_api_key" {
  type      = string
  sensitive = true
}
variable "database_password" {
  type      = string
  sensitive = true
}

resource "terraform_data" "cluster" {
  input = "${var.service_name}-${var.stage}"
}

output "cluster_name" {
  value = terraform_data.cluster.output
}
