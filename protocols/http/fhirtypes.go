package http

// fhirTypes are the FHIR R4/R5 resource types reported by name in
// Attrs["fhir_resource"]; any other resourceType is "other", so a hostile
// body cannot create new summary keys.
var fhirTypes = [...]string{
	"Account", "AllergyIntolerance", "Appointment", "AuditEvent", "Binary", "BodyStructure", "Bundle",
	"CapabilityStatement", "CarePlan", "Claim", "CodeSystem", "Composition", "Condition", "Consent",
	"Coverage", "Device", "DeviceMetric", "DeviceRequest", "DiagnosticReport", "DocumentReference",
	"Encounter", "Endpoint", "EpisodeOfCare", "FamilyMemberHistory", "Goal", "Group", "HealthcareService",
	"ImagingStudy", "Immunization", "List", "Location", "Media", "Medication", "MedicationAdministration",
	"MedicationRequest", "MedicationStatement", "MolecularSequence", "NutritionOrder", "Observation",
	"OperationOutcome", "Organization", "Parameters", "Patient", "Person", "Practitioner",
	"PractitionerRole", "Procedure", "Provenance", "Questionnaire", "QuestionnaireResponse",
	"RelatedPerson", "Schedule", "ServiceRequest", "Slot", "Specimen", "Subscription", "Task", "ValueSet",
}

// fhirType returns the interned resource type name, or "" when b is not one.
func fhirType(b []byte) string {
	for _, t := range fhirTypes {
		if string(b) == t {
			return t
		}
	}
	return ""
}
