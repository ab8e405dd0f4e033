package gen

// analyzerModel is what an analyzer says about itself on the wire. The model names
// are real product lines so traffic reads like a lab's; serials and versions are made up.
type analyzerModel struct {
	app          string // HL7 MSH-3 sending application, host name
	name         string // ASTM H-5 sender name
	software     string
	serialPrefix string
	astm         bool   // speaks ASTM E1381/E1394 (else HL7 over MLLP)
	hl7Version   string // MSH-12 for HL7 analyzers
	section      string // MSH-4 / lab section
	panels       []*panel
	mss          uint16 // a smaller MSS for old embedded stacks
}

type labTest struct {
	code, name, loinc, unit string
	lo, hi                  float64 // reference range
	decimals                int
	coded                   []string // qualitative result values (first is normal)
}

type panel struct {
	code, name, specimen, tube string
	tests                      []labTest
}

var (
	panelCBC = &panel{"CBC", "COMPLETE BLOOD COUNT", "BLD", "LAV", []labTest{
		{code: "WBC", name: "Leukocytes", loinc: "6690-2", unit: "10*3/uL", lo: 4.0, hi: 11.0, decimals: 1},
		{code: "RBC", name: "Erythrocytes", loinc: "789-8", unit: "10*6/uL", lo: 4.2, hi: 5.9, decimals: 2},
		{code: "HGB", name: "Hemoglobin", loinc: "718-7", unit: "g/dL", lo: 12.0, hi: 17.5, decimals: 1},
		{code: "HCT", name: "Hematocrit", loinc: "4544-3", unit: "%", lo: 36, hi: 52, decimals: 1},
		{code: "MCV", name: "MCV", loinc: "787-2", unit: "fL", lo: 80, hi: 100, decimals: 1},
		{code: "MCH", name: "MCH", loinc: "785-6", unit: "pg", lo: 27, hi: 33, decimals: 1},
		{code: "MCHC", name: "MCHC", loinc: "786-4", unit: "g/dL", lo: 32, hi: 36, decimals: 1},
		{code: "RDW", name: "RDW", loinc: "788-0", unit: "%", lo: 11.5, hi: 14.5, decimals: 1},
		{code: "PLT", name: "Platelets", loinc: "777-3", unit: "10*3/uL", lo: 150, hi: 400, decimals: 0},
		{code: "NEUT%", name: "Neutrophils", loinc: "770-8", unit: "%", lo: 40, hi: 75, decimals: 1},
		{code: "LYMPH%", name: "Lymphocytes", loinc: "736-9", unit: "%", lo: 20, hi: 45, decimals: 1},
		{code: "MONO%", name: "Monocytes", loinc: "5905-5", unit: "%", lo: 2, hi: 10, decimals: 1},
		{code: "EO%", name: "Eosinophils", loinc: "713-8", unit: "%", lo: 1, hi: 6, decimals: 1},
		{code: "BASO%", name: "Basophils", loinc: "706-2", unit: "%", lo: 0, hi: 2, decimals: 1},
	}}
	panelBMP = &panel{"BMP", "BASIC METABOLIC PANEL", "SER", "SST", []labTest{
		{code: "NA", name: "Sodium", loinc: "2951-2", unit: "mmol/L", lo: 135, hi: 145, decimals: 0},
		{code: "K", name: "Potassium", loinc: "2823-3", unit: "mmol/L", lo: 3.5, hi: 5.1, decimals: 1},
		{code: "CL", name: "Chloride", loinc: "2075-0", unit: "mmol/L", lo: 98, hi: 107, decimals: 0},
		{code: "CO2", name: "Carbon dioxide", loinc: "2028-9", unit: "mmol/L", lo: 22, hi: 29, decimals: 0},
		{code: "BUN", name: "Urea nitrogen", loinc: "3094-0", unit: "mg/dL", lo: 7, hi: 20, decimals: 0},
		{code: "CREA", name: "Creatinine", loinc: "2160-0", unit: "mg/dL", lo: 0.6, hi: 1.3, decimals: 2},
		{code: "GLU", name: "Glucose", loinc: "2345-7", unit: "mg/dL", lo: 70, hi: 99, decimals: 0},
		{code: "CA", name: "Calcium", loinc: "17861-6", unit: "mg/dL", lo: 8.6, hi: 10.3, decimals: 1},
	}}
	panelLFT = &panel{"LFT", "HEPATIC FUNCTION PANEL", "SER", "SST", []labTest{
		{code: "ALT", name: "Alanine aminotransferase", loinc: "1742-6", unit: "U/L", lo: 7, hi: 56, decimals: 0},
		{code: "AST", name: "Aspartate aminotransferase", loinc: "1920-8", unit: "U/L", lo: 10, hi: 40, decimals: 0},
		{code: "ALP", name: "Alkaline phosphatase", loinc: "6768-6", unit: "U/L", lo: 44, hi: 147, decimals: 0},
		{code: "TBIL", name: "Bilirubin total", loinc: "1975-2", unit: "mg/dL", lo: 0.1, hi: 1.2, decimals: 1},
		{code: "ALB", name: "Albumin", loinc: "1751-7", unit: "g/dL", lo: 3.5, hi: 5.0, decimals: 1},
		{code: "TP", name: "Protein total", loinc: "2885-2", unit: "g/dL", lo: 6.0, hi: 8.3, decimals: 1},
	}}
	panelLipid = &panel{"LIPID", "LIPID PANEL", "SER", "SST", []labTest{
		{code: "CHOL", name: "Cholesterol", loinc: "2093-3", unit: "mg/dL", lo: 120, hi: 200, decimals: 0},
		{code: "TRIG", name: "Triglyceride", loinc: "2571-8", unit: "mg/dL", lo: 40, hi: 150, decimals: 0},
		{code: "HDL", name: "HDL cholesterol", loinc: "2085-9", unit: "mg/dL", lo: 40, hi: 80, decimals: 0},
		{code: "LDL", name: "LDL cholesterol calc", loinc: "13457-7", unit: "mg/dL", lo: 50, hi: 130, decimals: 0},
	}}
	panelCoag = &panel{"COAG", "COAGULATION PANEL", "PLAS", "BLU", []labTest{
		{code: "PT", name: "Prothrombin time", loinc: "5902-2", unit: "s", lo: 11, hi: 13.5, decimals: 1},
		{code: "INR", name: "INR", loinc: "6301-6", unit: "{INR}", lo: 0.8, hi: 1.1, decimals: 2},
		{code: "APTT", name: "aPTT", loinc: "3173-2", unit: "s", lo: 25, hi: 35, decimals: 1},
		{code: "FIB", name: "Fibrinogen", loinc: "3255-7", unit: "mg/dL", lo: 200, hi: 400, decimals: 0},
	}}
	panelImmuno = &panel{"IMM", "IMMUNOASSAY", "SER", "SST", []labTest{
		{code: "TSH", name: "Thyrotropin", loinc: "3016-3", unit: "mIU/L", lo: 0.4, hi: 4.0, decimals: 2},
		{code: "FT4", name: "Thyroxine free", loinc: "3024-7", unit: "ng/dL", lo: 0.8, hi: 1.8, decimals: 2},
		{code: "TNIHS", name: "Troponin I hs", loinc: "89579-7", unit: "ng/L", lo: 0, hi: 34, decimals: 0},
		{code: "FER", name: "Ferritin", loinc: "2276-4", unit: "ng/mL", lo: 24, hi: 336, decimals: 0},
	}}
	panelA1C = &panel{"A1C", "HEMOGLOBIN A1C", "BLD", "LAV", []labTest{
		{code: "HBA1C", name: "Hemoglobin A1c", loinc: "4548-4", unit: "%", lo: 4.0, hi: 5.6, decimals: 1},
	}}
	panelResp = &panel{"RESP4", "SARS-COV-2 FLU RSV PCR", "NASOPHARYNGEAL", "VTM", []labTest{
		{code: "SARS2", name: "SARS-CoV-2 RNA", loinc: "94500-6", coded: []string{"Not detected", "Detected"}},
		{code: "FLUA", name: "Influenza A RNA", loinc: "92142-9", coded: []string{"Not detected", "Detected"}},
		{code: "FLUB", name: "Influenza B RNA", loinc: "92141-1", coded: []string{"Not detected", "Detected"}},
		{code: "RSV", name: "RSV RNA", loinc: "92131-2", coded: []string{"Not detected", "Detected"}},
	}}
	panelBCx = &panel{"BCX", "BLOOD CULTURE", "BLD", "BCB", []labTest{
		{code: "BCX", name: "Bacteria identified in Blood by Culture", loinc: "600-7",
			coded: []string{"No growth at 5 days", "Positive - gram stain to follow"}},
	}}
)

var analyzerModels = []analyzerModel{
	{app: "COBASC311", name: "cobas c311", software: "04-01", serialPrefix: "C311-", astm: true, section: "CHEM",
		panels: []*panel{panelBMP, panelLFT, panelLipid}},
	{app: "XN550", name: "XN-550", software: "00-28", serialPrefix: "XN", astm: true, section: "HEMA",
		panels: []*panel{panelCBC}},
	{app: "DXH800", name: "DxH 800", software: "3.0.2.0", serialPrefix: "BA", hl7Version: "2.5.1", section: "HEMA",
		panels: []*panel{panelCBC}},
	{app: "ARCHC4000", name: "ARCHITECT c4000", software: "9.45", serialPrefix: "C4", astm: true, section: "CHEM",
		panels: []*panel{panelBMP, panelLipid, panelA1C}},
	{app: "ATELLICA", name: "Atellica CH 930", software: "1.27.3", serialPrefix: "AT", hl7Version: "2.5.1", section: "CHEM",
		panels: []*panel{panelBMP, panelLFT, panelImmuno}},
	{app: "VITROS5600", name: "VITROS 5600", software: "3.8.1", serialPrefix: "J", astm: true, section: "CHEM",
		panels: []*panel{panelImmuno, panelBMP}},
	{app: "GENEXPERT", name: "GeneXpert Dx", software: "6.4", serialPrefix: "GX", hl7Version: "2.5", section: "MICRO",
		panels: []*panel{panelResp}},
	{app: "YUMIZEN", name: "Yumizen H550", software: "2.1.0", serialPrefix: "H5", astm: true, section: "HEMA",
		panels: []*panel{panelCBC}, mss: 536},
	{app: "BACTALERT", name: "BACT/ALERT 3D", software: "A.33", serialPrefix: "BT", hl7Version: "2.3.1", section: "MICRO",
		panels: []*panel{panelBCx}},
	{app: "ACLTOP", name: "ACL TOP 550", software: "7.1.2", serialPrefix: "AC", hl7Version: "2.4", section: "COAG",
		panels: []*panel{panelCoag}},
}

// orderablePanels are what the LIS and the HIS order.
var orderablePanels = []*panel{panelCBC, panelBMP, panelLFT, panelLipid, panelCoag, panelImmuno, panelA1C, panelResp}
