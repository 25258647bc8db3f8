// The English names of the common tags (part of EN in i18n.js, kept apart for its length).

/** @typedef {import("./i18n.js").Messages} Messages */

/**
 * Names for the common tags (the rest show as they are). A tag is one word of the data,
 * never translated where it names a product or a model family.
 * @type {Messages}
 */
export const TAGS_EN = {
  video: "video", image: "image", audio: "audio", text: "text", "text-to-image": "text-to-image",
  "text-to-video": "text-to-video", "image-to-video": "image-to-video", "image-to-3d": "image-to-3D", "3d": "3D",
  mesh: "mesh", "gaussian-splatting": "Gaussian splatting", depth: "depth", monocular: "monocular",
  workflow: "workflow", workflows: "workflows", templates: "templates", examples: "examples", face: "face",
  "face-swap": "face swap", portrait: "portrait", identity: "identity", expression: "expression",
  "lip-sync": "lip sync", pose: "pose", animation: "animation", "motion-lora": "motion LoRA", frames: "frames",
  "video-editing": "video editing", prompt: "prompt", prompts: "prompts", captioning: "captioning", tagging: "tagging",
  translation: "translation", multilingual: "multilingual", bilingual: "bilingual", chinese: "Chinese",
  segmentation: "segmentation", mask: "mask", masking: "masking", matting: "matting",
  "background-removal": "background removal", detection: "detection", inpainting: "inpainting",
  outpainting: "outpainting", upscale: "upscale", upscaling: "upscaling", restoration: "restoration",
  detailer: "detailer", relighting: "relighting", lighting: "lighting", "image-editing": "image editing",
  "image-processing": "image processing", "style-transfer": "style transfer", styles: "styles",
  compositing: "compositing", painting: "painting", drag: "drag editing", regions: "regions", sampling: "sampling",
  preprocessing: "preprocessing", checkpoint: "checkpoint", "base-model": "base model", models: "models",
  diffusion_model: "diffusion model", "text-encoder": "text encoder", refiner: "refiner", "fine-tune": "fine-tune",
  embedding: "embedding", lora: "LoRA", controlnet: "ControlNet", vae: "VAE", clip: "CLIP", vlm: "VLM", llm: "LLM",
  multimodal: "multimodal", vision: "vision", generation: "generation", ui: "UI", frontend: "frontend",
  editor: "editor", "node-editor": "node editor", sidebar: "sidebar", search: "search", autocomplete: "autocomplete",
  wiring: "wiring", groups: "groups", organization: "organization", nodes: "nodes", core: "core", backend: "backend",
  utilities: "utilities", utility: "utility", utils: "utils", performance: "performance", fast: "fast", gpu: "GPU",
  vram: "VRAM", monitoring: "monitoring", metadata: "metadata", versioning: "versioning", sync: "sync",
  updates: "updates", integration: "integration", api: "API", addon: "add-on", cloud: "cloud", hosted: "hosted",
  platform: "platform", desktop: "desktop", standalone: "standalone", install: "install", manager: "manager",
  registry: "registry", paid: "paid", official: "official", research: "research", discovery: "discovery",
  "awesome-list": "awesome list", ranking: "ranking", community: "community", sharing: "sharing", news: "news",
  docs: "docs", tutorials: "tutorials", "video-tutorial": "video tutorial", course: "course", guides: "guides",
  beginner: "beginner", "getting-started": "getting started",
};
